@testable import LlamaEngine
import Testing

/// The pure-Swift text side of generation: UTF-8 pieces split across tokens, and stop strings split across pieces.
@Suite(.timeLimit(.minutes(1))) struct TextAssemblyTests {
    @Test func utf8_characterSplitAcrossTokens_heldUntilComplete() {
        var assembler = UTF8Assembler()
        let check = Array("✓".utf8)  // E2 9C 93
        #expect(assembler.append([0x61, check[0]]) == "a")
        #expect(assembler.append([check[1]]) == "")
        #expect(assembler.append([check[2], 0x62]) == "✓b")
        #expect(assembler.flush() == "")
    }

    @Test func utf8_fourByteCharacterByteByByte_emittedOnce() {
        var assembler = UTF8Assembler()
        let pieces = Array("🙂".utf8).map { assembler.append([$0]) }
        #expect(pieces == ["", "", "", "🙂"])
    }

    @Test func utf8_unfinishedCharacterAtEnd_becomesReplacement() {
        var assembler = UTF8Assembler()
        #expect(assembler.append([0x68, 0xC3]) == "h")
        #expect(assembler.flush() == "\u{FFFD}")
    }

    @Test func utf8_invalidByte_becomesReplacementImmediately() {
        var assembler = UTF8Assembler()
        #expect(assembler.append([0xFF, 0x41]) == "\u{FFFD}A")
    }

    @Test func stop_splitAcrossPieces_notLeaked() {
        var matcher = StopStringMatcher(stops: ["END"])
        #expect(matcher.append("abc E") == .text("abc "))
        #expect(matcher.append("N") == .text(""))
        #expect(matcher.append("Dxyz") == .stopped(before: "", stop: "END"))
    }

    @Test func stop_falseStart_releasedWhenItDiverges() {
        var matcher = StopStringMatcher(stops: ["END"])
        #expect(matcher.append("EN") == .text(""))
        #expect(matcher.append("o") == .text("ENo"))
        #expect(matcher.flush() == "")
    }

    @Test func stop_earliestOfSeveral_wins() {
        var matcher = StopStringMatcher(stops: ["world", "lo"])
        #expect(matcher.append("hello world") == .stopped(before: "hel", stop: "lo"))
    }

    @Test func stop_heldPrefixAtEnd_flushed() {
        var matcher = StopStringMatcher(stops: ["\n\n"])
        #expect(matcher.append("line\n") == .text("line"))
        #expect(matcher.flush() == "\n")
    }

    @Test func stop_none_passesTextThrough() {
        var matcher = StopStringMatcher(stops: [])
        #expect(matcher.append("anything") == .text("anything"))
    }
}
