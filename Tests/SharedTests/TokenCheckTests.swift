import Shared
import Testing

@Suite struct TokenCheckTests {
    @Test(arguments: [
        ("abc", "abc", true), ("abc", "abd", false), ("abc", "abcd", false), ("", "a", false), ("", "", true),
        (String(repeating: "x", count: 1000), String(repeating: "x", count: 1000), true),
    ])
    func tokensAreComparedByDigest(lhs: String, rhs: String, same: Bool) {
        #expect(TokenCheck.equals(lhs, rhs) == same)
        #expect(TokenCheck.equals(rhs, lhs) == same)
    }

    @Test func anAdminTokenMatchesOnlyItself() {
        #expect(TokenCheck.isAdmin("secret", adminToken: "secret"))
        #expect(!TokenCheck.isAdmin("secre", adminToken: "secret"))
        #expect(!TokenCheck.isAdmin("secret!", adminToken: "secret"))
        // No admin token configured: nothing is the admin, not even an empty token.
        #expect(!TokenCheck.isAdmin("", adminToken: ""))
        #expect(!TokenCheck.isAdmin("", adminToken: nil))
        #expect(!TokenCheck.isAdmin("x", adminToken: nil))
    }

    @Test func theDigestIsSHA256() {
        #expect(TokenCheck.digest("abc").count == 32)
        #expect(TokenCheck.digest("abc").prefix(4) == [0xba, 0x78, 0x16, 0xbf])
    }
}
