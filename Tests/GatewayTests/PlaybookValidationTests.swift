import Testing

@testable import Gateway

struct PlaybookValidationTests {
    @Test(arguments: ["site.yml", "playbooks/site.yml", "a/b/c.yaml", "./site.yml", "dir..name/x.yml"])
    func relativeEntriesAreAccepted(_ entry: String) {
        #expect(PlaybookValidation.problem(entry: entry) == nil)
    }

    @Test(arguments: ["/etc/site.yml", "../site.yml", "a/../../b.yml", "a/..", "~/site.yml", "a/", "..\\x.yml"])
    func absoluteOrEscapingEntriesAreRefused(_ entry: String) {
        #expect(PlaybookValidation.problem(entry: entry) != nil)
    }

    @Test(arguments: [
        "git@some_repo.git", "git@github.com:org/repo.git", "ssh://git@host:2222/repo.git", "https://host/repo.git", "file:///srv/repo",
        "/srv/git/repo", "git://host/repo",
    ])
    func repositoryLocationsAreAccepted(_ repo: String) {
        #expect(PlaybookValidation.problem(gitRepo: repo) == nil)
    }

    @Test(arguments: ["ext::sh -c touch% /tmp/x", "-uhack", "relative/path", "https://", "fd::17", "has space"])
    func otherRepositoryLocationsAreRefused(_ repo: String) {
        #expect(PlaybookValidation.problem(gitRepo: repo) != nil)
    }
}
