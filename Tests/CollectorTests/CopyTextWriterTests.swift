import Testing

@testable import Collector

@Suite struct CopyTextWriterTests {
    static func text(_ writer: CopyTextWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

    @Test(arguments: [
        ("plain", "plain"), ("tab\there", "tab\\there"), ("new\nline", "new\\nline"), ("back\\slash", "back\\\\slash"),
        ("cr\r", "cr\\r"), ("nul\u{0}", "nul\u{FFFD}"), ("\\\t\n", "\\\\\\t\\n"), ("", ""), ("é✓𝄞", "é✓𝄞"),
    ])
    func escapes(value: String, expected: String) {
        var writer = CopyTextWriter()
        writer.field(value)
        #expect(Self.text(writer) == expected)
        var bytes = CopyTextWriter()
        bytes.field(utf8: Array(value.utf8)[...])
        #expect(Self.text(bytes) == expected)
    }

    @Test func nullAndSeparators() {
        var writer = CopyTextWriter()
        writer.field("a")
        writer.field(nil)
        writer.null()
        writer.field("b")
        writer.endRow()
        writer.field("c")
        writer.endRow()
        #expect(Self.text(writer) == "a\t\\N\t\\N\tb\nc\n")
    }
}
