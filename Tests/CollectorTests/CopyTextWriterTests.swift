import Testing

@testable import Collector

@Suite struct CopyTextWriterTests {
    @Test(arguments: [
        ("plain", "plain"), ("tab\there", "tab\\there"), ("new\nline", "new\\nline"), ("back\\slash", "back\\\\slash"),
        ("cr\r", "cr\\r"), ("nul\u{0}", "nul\u{FFFD}"),
    ])
    func escapes(value: String, expected: String) {
        var writer = CopyTextWriter()
        writer.field(value)
        #expect(writer.line == expected)
    }

    @Test func nullAndSeparators() {
        var writer = CopyTextWriter()
        writer.field("a")
        writer.field(nil)
        writer.field("b")
        writer.endLine()
        #expect(writer.line == "a\t\\N\tb\n")
    }

    @Test(arguments: [
        (#"{"a":"x\u0000y"}"#, #"{"a":"x\ufffdy"}"#), (#"{"a":"x\\u0000y"}"#, #"{"a":"x\\u0000y"}"#), (#"{"a":"x"}"#, #"{"a":"x"}"#),
    ])
    func nulEscapesInJSON(text: String, expected: String) {
        #expect(JSONText.replacingNulEscapes(text) == expected)
    }
}
