// Key encoding through `TerminalEmulator.encode(_:modifiers:)`: the bytes an xterm-compatible
// terminal sends for each key, in the modes the program chose (DECCKM application cursor keys,
// mode 1; bracketed paste, mode 2004). libvterm 0.1.4 does the encoding; where it differs from
// xterm (modified keys without a legacy form use the "CSI code;modifier u" scheme) the tests
// say what it really sends.

import Testing

import DistRunTerminal

@Suite struct TerminalKeyTests {
    @Test(arguments: [
        (TerminalKey.enter, "\r"), (.tab, "\t"), (.backspace, "\u{7f}"), (.escape, esc),
        (.up, "\(esc)[A"), (.down, "\(esc)[B"), (.right, "\(esc)[C"), (.left, "\(esc)[D"),
        (.home, "\(esc)[H"), (.end, "\(esc)[F"), (.insert, "\(esc)[2~"), (.delete, "\(esc)[3~"),
        (.pageUp, "\(esc)[5~"), (.pageDown, "\(esc)[6~"),
        (.function(1), "\(esc)OP"), (.function(2), "\(esc)OQ"), (.function(4), "\(esc)OS"),
        (.function(5), "\(esc)[15~"), (.function(12), "\(esc)[24~"),
        (.character("a"), "a"), (.character("é"), "é"), (.character("😀"), "😀"),
    ])
    func keysInNormalMode(key: TerminalKey, expected: String) {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(terminal.encode(key) == Array(expected.utf8))
    }

    @Test(arguments: [
        (TerminalKey.up, "\(esc)OA"), (.down, "\(esc)OB"), (.right, "\(esc)OC"), (.left, "\(esc)OD"),
        (.home, "\(esc)OH"), (.end, "\(esc)OF"), (.pageUp, "\(esc)[5~"), (.enter, "\r"),
    ])
    func keysAfterTheProgramAsksForApplicationCursorKeys(key: TerminalKey, expected: String) {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[?1h")
        #expect(terminal.encode(key) == Array(expected.utf8))
        terminal.feed("\(esc)[?1l")
        #expect(terminal.encode(.up) == Array("\(esc)[A".utf8))
    }

    @Test func controlLetterIsTheC0Code() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(terminal.encode(.character("c"), modifiers: .control) == [0x03])
        #expect(terminal.encode(.character("a"), modifiers: .control) == [0x01])
        #expect(terminal.encode(.character(" "), modifiers: .control) == [0x00])
    }

    /// libvterm sends Ctrl with an upper-case letter or a punctuation key as "CSI code;5u",
    /// not the C0 code xterm sends (Ctrl-[ is not ESC here).
    @Test func controlWithoutALegacyCodeUsesCSIu() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(text(terminal.encode(.character("C"), modifiers: .control)) == "\(esc)[67;5u")
        #expect(text(terminal.encode(.character("["), modifiers: .control)) == "\(esc)[91;5u")
        #expect(text(terminal.encode(.backspace, modifiers: .control)) == "\(esc)[127;5u")
    }

    @Test func altPrefixesEscape() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(text(terminal.encode(.character("x"), modifiers: .alt)) == "\(esc)x")
        #expect(text(terminal.encode(.enter, modifiers: .alt)) == "\(esc)\r")
    }

    @Test func modifiedCursorKeysUseTheXtermModifierParameter() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(text(terminal.encode(.up, modifiers: .shift)) == "\(esc)[1;2A")
        #expect(text(terminal.encode(.up, modifiers: .control)) == "\(esc)[1;5A")
        #expect(text(terminal.encode(.tab, modifiers: .shift)) == "\(esc)[Z")
    }

    @Test func pasteIsPlainUntilTheProgramAsksForBracketedPaste() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        #expect(text(terminal.encode(.paste("hi"))) == "hi")
        terminal.feed("\(esc)[?2004h")
        #expect(text(terminal.encode(.paste("hi"))) == "\(esc)[200~hi\(esc)[201~")
        terminal.feed("\(esc)[?2004l")
        #expect(text(terminal.encode(.paste("日本"))) == "日本")
    }

    /// Enter sends CR; only when the program sets LNM (mode 20) does it send CR LF.
    @Test func enterFollowsNewLineMode() {
        let terminal = TerminalEmulator(rows: 2, columns: 10)
        terminal.feed("\(esc)[20h")
        #expect(text(terminal.encode(.enter)) == "\r\n")
    }
}
