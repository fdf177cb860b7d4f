import Shared
import Testing

@Suite struct URLRedactionTests {
    @Test(arguments: [
        ("https://user:s3cret@git.example.com/repo.git", "https://user:***@git.example.com/repo.git"),
        (
            "fatal: unable to access 'http://bot:tok%40en@127.0.0.1:1/r.git/': refused",
            "fatal: unable to access 'http://bot:***@127.0.0.1:1/r.git/': refused"
        ),
        ("https://ghp_abc123@github.com/org/repo.git", "https://***@github.com/org/repo.git"),
        ("ssh://git:pw@host/repo.git", "ssh://git:***@host/repo.git"),
        ("ssh://git@host/repo.git", "ssh://git@host/repo.git"),
        ("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
        ("/srv/repos/site.git", "/srv/repos/site.git"),
        ("mail me at ops@example.com", "mail me at ops@example.com"),
        ("a https://a:b@h/x and https://c:d@h/y", "a https://a:***@h/x and https://c:***@h/y"),
    ])
    func passwordsAreHidden(text: String, shown: String) {
        #expect(URLRedaction.redact(text) == shown)
    }
}
