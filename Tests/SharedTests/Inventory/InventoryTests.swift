import Foundation
import TestSupport
import Testing

@testable import Shared

@Suite struct InventoryTests {
    /// The seed README's upload, `hosts: localhost` written as a plain string included.
    @Test func seedExampleIsAccepted() throws {
        let inventory = try Inventory(hosts: SeedExample.hosts, vars: SeedExample.vars)
        #expect(
            inventory.hosts.map(\.name) == [
                "localhost", "foo.example3.com", "foo.example4.com", "foo.example5.com", "one.example.com", "two.example.com",
            ])
        #expect(inventory.group(named: "ungrouped")?.hosts.map { inventory.hosts[$0].name } == ["localhost"])
        let web = try #require(inventory.hostID(named: "foo.example4.com"))
        #expect(
            inventory.hostVariables(web) == [
                "allkey1": .string("allval1"), "allkey2": .string("allval2"), "wskey1": .string("wsval1"), "wskey2": .string("wsval2"),
            ])
        let db = try #require(inventory.hostID(named: "one.example.com"))
        #expect(inventory.hostVariables(db) == ["allkey1": .string("allval1"), "allkey2": .string("allval2")])
    }

    /// The seed README's body taken literally: each document's first line follows the JSON string's opening
    /// quote, the others keep the request body's indentation, which leaves the vars document misaligned.
    @Test func seedBodyAsPrintedIsAccepted() throws {
        let hosts =
            "all:\n              hosts:\n                localhost\n              children:\n                webservers:\n"
            + "                  hosts:\n                    foo.example[3:5].com:\n                dbservers:\n                  hosts:\n"
            + "                    one.example.com:\n                    two.example.com:"
        let vars =
            "all:\n             allkey1: allval1\n             allkey2: allval2\n           webservers:\n"
            + "             wskey1: wsval1\n             wskey2: wsval2"
        let inventory = try Inventory(hosts: hosts, vars: vars)
        #expect(inventory.hosts.count == 6)
        let web = try #require(inventory.hostID(named: "foo.example3.com"))
        #expect(inventory.hostVariables(web)["wskey2"] == .string("wsval2"))
        #expect(inventory.hostVariables(web)["allkey1"] == .string("allval1"))
    }

    struct BadInventory: Sendable, CustomStringConvertible {
        var yaml: String
        var code: InventoryError.Code
        var line: Int?
        var column: Int?
        var group: String? = nil
        var host: String? = nil
        var description: String { yaml }
    }

    static let badInventories: [BadInventory] = [
        .init(yaml: "all:\n  children:\n    a:\n      children:\n        a:\n", code: .cycle, line: 5, column: 9, group: "a"),
        .init(yaml: "a:\n  children:\n    b:\n      children:\n        a:\n", code: .cycle, line: 3, column: 5, group: "a"),
        .init(yaml: "all:\n  hosts:\n    42:\n", code: .host, line: 3, column: 5, group: "all"),
        .init(yaml: "all:\n  hosts:\n    - a\n", code: .section, line: 3, column: 5, group: "all"),
        .init(yaml: "web:\n  vars: [1]\n", code: .section, line: 2, column: 9, group: "web"),
        .init(yaml: "all:\n  hosts:\n    web[01:100]:\n", code: .hostRange, line: 3, column: 5, group: "all", host: "web[01:100]"),
        .init(yaml: "all:\n  hosts:\n    web[c:a]:\n", code: .hostRange, line: 3, column: 5),
        .init(yaml: "all:\n  hosts:\n    h: text\n", code: .host, line: 3, column: 8, group: "all", host: "h"),
        .init(yaml: "", code: .structure, line: nil, column: nil),
        .init(yaml: "[1, 2]\n", code: .structure, line: 1, column: 1),
        .init(yaml: "all:\n  vars:\n    x: [1\n", code: .syntax, line: 4, column: 1),
        .init(yaml: "all:\n  vars:\n    a: 1\n    a: 2\n", code: .syntax, line: 3, column: 5),
        .init(yaml: "true:\n  hosts:\n    a:\n", code: .groupName, line: 1, column: 1),
        .init(yaml: "all:\n  vars:\n    big: 123456789012345678901234\n", code: .value, line: 3, column: 10),
    ]

    @Test(arguments: badInventories)
    func errorsNameTheProblemAndWhere(_ bad: BadInventory) {
        #expect {
            _ = try Inventory(hosts: bad.yaml)
        } throws: { error in
            guard let error = error as? InventoryError else { return false }
            #expect(error.code == bad.code, "\(error)")
            #expect(error.line == bad.line && error.column == bad.column, "\(error)")
            if let group = bad.group { #expect(error.group == group, "\(error)") }
            if let host = bad.host { #expect(error.host == host, "\(error)") }
            #expect(error.document == "hosts")
            return true
        }
    }

    @Test func varsDocumentErrorsSayWhichDocument() {
        #expect {
            _ = try Inventory(hosts: "all:\n  hosts:\n    a:\n", vars: "all:\n  x: 1\nweb: [1, 2]\n")
        } throws: { error in
            let error = error as? InventoryError
            return error?.document == "vars" && error?.line == 3 && error?.column == 6 && error?.group == "web"
        }
    }

    @Test(arguments: [
        ("yes", JSONValue.bool(true)), ("Off", .bool(false)), ("y", .string("y")), ("~", .null), ("", .null), ("0755", .int(493)),
        ("0789", .string("0789")), ("0x1F", .int(31)), ("0b101", .int(5)), ("1_000", .int(1000)), ("1:30", .int(90)),
        ("1:60", .string("1:60")), ("1e3", .string("1e3")), ("1.5e+3", .double(1500)), ("1.", .double(1)), (".5", .double(0.5)),
        ("+.5", .string("+.5")), ("1:30.5", .double(90.5)), (".inf", .double(.infinity)), ("2001-12-14", .string("2001-12-14")),
        ("2001-12-14 21:59:43.10 -5", .string("2001-12-14T21:59:43.100000-05:00")), ("2001-1-1", .string("2001-1-1")),
        ("-0o7", .string("-0o7")), ("null", .null), ("NULL", .null), ("nULL", .string("nULL")),
    ])
    func plainScalarsReadAsAnsibleReadsThem(_ text: String, _ expected: JSONValue) throws {
        let inventory = try Inventory(hosts: "all:\n  hosts:\n    h:\n      v: \(text)\n")
        #expect(inventory.hosts[0].vars["v"] == expected, "\(text)")
    }

    @Test func quotedAndTaggedScalarsAreStrings() throws {
        let inventory = try Inventory(hosts: "all:\n  hosts:\n    h:\n      a: \"yes\"\n      b: !!str 12\n      c: !unsafe '{{ x }}'\n")
        #expect(inventory.hosts[0].vars["a"] == .string("yes"))
        #expect(inventory.hosts[0].vars["b"] == .string("12"))
        #expect(inventory.hosts[0].vars["c"] == .object(["__ansible_unsafe": .string("{{ x }}")]))
    }

    @Test func jsonInventoriesReadNumbersAsJSON() throws {
        let inventory = try Inventory(hosts: #"{"all": {"hosts": {"h": {"e": 1e3, "o": 0.5, "i": 10}}}}"#)
        #expect(inventory.hosts[0].vars == ["e": .double(1000), "o": .double(0.5), "i": .int(10)])
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1234567890123456.0, "1234567890123456.0"), (1e-5, "1e-05"), (0.0001, "0.0001"),
        (-2.5, "-2.5"), (1.5e300, "1.5e+300"), (123456789.125, "123456789.125"), (-0.0, "-0.0"), (1e22, "1e+22"),
    ])
    func floatsPrintAsPythonRepr(_ value: Double, _ expected: String) {
        #expect(PythonJSON.floatRepr(value) == expected)
    }

    @Test func stringsAreEscapedAsPythonJSONDoes() {
        let bytes = PythonJSON.encode(.string("a\"b\\c\n\u{1}é😀"))
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\n\u0001\u00e9\ud83d\ude00""#)
    }

    @Test(arguments: [
        ("web[01:03]", ["web01", "web02", "web03"], nil as Int?), ("x[a:c]", ["xa", "xb", "xc"], nil), ("n[1:10:4]", ["n1", "n5", "n9"], nil),
        ("z[:2]", ["z0", "z1", "z2"], nil), ("e[3:1]", [], nil), ("m[1:2]-[a:b]", ["m1-a", "m1-b", "m2-a", "m2-b"], nil),
        ("h:22", ["h"], 22), ("[::1]:2222", ["::1"], 2222), ("w[1:2]:80", ["w1", "w2"], 80), ("fe80::1", ["fe80::1"], nil),
        ("bad name:22", ["bad name:22"], nil), ("p[08:10]", ["p08", "p09", "p10"], nil),
    ])
    func hostKeysExpand(_ key: String, _ hosts: [String], _ port: Int?) throws {
        let expanded = try HostRange.expand(key)
        #expect(expanded.hosts == hosts)
        #expect(expanded.port == port)
    }

    @Test(arguments: [
        ("a:b", ["a", "b"]), ("a,b", ["a", "b"]), ("a:&b:!c", ["a", "&b", "!c"]), ("g[0:2]", ["g[0:2]"]), ("::1", ["::1"]),
        (" a , b ", ["a", "b"]), ("web*:db[1]", ["web*", "db[1]"]),
    ])
    func patternsSplitAsAnsibleSplitsThem(_ pattern: String, _ parts: [String]) {
        #expect(Inventory.splitPattern(pattern) == parts)
    }

    @Test func variablePrecedenceFollowsDepthPriorityAndName() throws {
        let inventory = try Inventory(
            hosts: """
                all:
                  vars: {v: all}
                  children:
                    deep:
                      children:
                        deeper:
                          vars: {v: deeper}
                          hosts: {h: }
                    b:
                      vars: {v: b, ansible_group_priority: 5}
                      hosts: {h: }
                    a:
                      vars: {v: a}
                      hosts: {h: }
                """)
        #expect(inventory.hostVariables(0)["v"] == .string("deeper"))
        #expect(inventory.group(named: "deeper")?.depth == 2)
        #expect(inventory.group(named: "b")?.priority == 5)
        #expect(inventory.hostVariables(0)["ansible_group_priority"] == nil)
    }
}
