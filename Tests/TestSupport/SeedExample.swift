/// The seed's example bodies.
public enum SeedExample {
    /// The seed README's inventory YAML. There, each document starts right after `"hosts": "` and its later
    /// lines are indented to line up with that column (and the JSON string holds raw line breaks, which JSON
    /// does not allow); these are the documents with that common indentation removed.
    public static let hosts = """
        all:
          hosts:
            localhost
          children:
            webservers:
              hosts:
                foo.example[3:5].com:
            dbservers:
              hosts:
                one.example.com:
                two.example.com:
        """
    public static let vars = """
        all:
          allkey1: allval1
          allkey2: allval2
        webservers:
          wskey1: wsval1
          wskey2: wsval2
        """
}
