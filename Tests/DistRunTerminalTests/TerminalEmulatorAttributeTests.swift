// SGR (Select Graphic Rendition) as TerminalEmulator reports it in cells: palette colours stay
// indexed (16 and 256 colours), truecolour stays RGB, the pane's defaults are `.terminalDefault`
// (the theme maps them), and each attribute turns on and off on its own. Spec: ECMA-48 8.3.117
// plus the xterm 256-colour and ISO 8613-6 truecolour extensions, as libvterm 0.1.4 parses them.

import Testing

import DistRunTerminal

@Suite struct TerminalEmulatorAttributeTests {
    @Test func unstyledTextAndEmptyCellsUseTheDefaultColours() {
        let terminal = TerminalEmulator(rows: 2, columns: 4)
        terminal.feed("a")
        for cell in [terminal.cell(row: 0, column: 0), terminal.cell(row: 1, column: 3)] {
            #expect(cell.foreground == .terminalDefault)
            #expect(cell.background == .terminalDefault)
            #expect(attributes(of: cell).isEmpty)
        }
    }

    @Test func sixteenColourForegroundAndBackgroundStayIndexed() {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[31;42mA\(esc)[91;102mB")
        let (normal, bright) = (terminal.cell(row: 0, column: 0), terminal.cell(row: 0, column: 1))
        #expect(normal.foreground == .indexed(1))
        #expect(normal.background == .indexed(2))
        #expect(bright.foreground == .indexed(9))
        #expect(bright.background == .indexed(10))
    }

    @Test func twoHundredFiftySixColourStaysIndexed() {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[38;5;196;48;5;17mA")
        #expect(terminal.cell(row: 0, column: 0).foreground == .indexed(196))
        #expect(terminal.cell(row: 0, column: 0).background == .indexed(17))
    }

    @Test func trueColourIsRGB() {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[38;2;1;2;3;48;2;10;20;30mA")
        #expect(terminal.cell(row: 0, column: 0).foreground == .rgb(1, 2, 3))
        #expect(terminal.cell(row: 0, column: 0).background == .rgb(10, 20, 30))
    }

    @Test func sgr39And49RestoreOneDefaultColourEach() {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[31;42m\(esc)[39mA\(esc)[49mB")
        #expect(terminal.cell(row: 0, column: 0).foreground == .terminalDefault)
        #expect(terminal.cell(row: 0, column: 0).background == .indexed(2))
        #expect(terminal.cell(row: 0, column: 1).background == .terminalDefault)
    }

    @Test(arguments: [
        (on: 1, off: 22, name: "bold"), (on: 4, off: 24, name: "underline"), (on: 3, off: 23, name: "italic"),
        (on: 7, off: 27, name: "reverse"), (on: 9, off: 29, name: "strike"), (on: 5, off: 25, name: "blink"),
    ])
    func eachAttributeTurnsOnAndOffAlone(on: Int, off: Int, name: String) {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[\(on)mA\(esc)[\(off)mB")
        #expect(attributes(of: terminal.cell(row: 0, column: 0)) == [name])
        #expect(attributes(of: terminal.cell(row: 0, column: 1)).isEmpty)
    }

    @Test(arguments: ["\(esc)[0m", "\(esc)[m"])
    func resetClearsColoursAndEveryAttribute(reset: String) {
        let terminal = TerminalEmulator(rows: 1, columns: 4)
        terminal.feed("\(esc)[1;3;4;5;7;9;38;5;196;48;2;1;2;3mA\(reset)B")
        let (styled, plain) = (terminal.cell(row: 0, column: 0), terminal.cell(row: 0, column: 1))
        #expect(attributes(of: styled) == ["bold", "italic", "underline", "blink", "reverse", "strike"])
        #expect(plain.foreground == .terminalDefault)
        #expect(plain.background == .terminalDefault)
        #expect(attributes(of: plain).isEmpty)
    }

    /// libvterm erases with the current background (xterm's "background colour erase"), so a
    /// program that sets a background and clears gets a coloured blank area, not default cells.
    @Test func erasingFillsWithTheCurrentBackground() {
        let terminal = TerminalEmulator(rows: 2, columns: 6)
        terminal.feed("abcdef\(esc)[1;4H\(esc)[41m\(esc)[K")
        #expect(terminal.rowText(0) == "abc")
        #expect(terminal.cell(row: 0, column: 2).background == .terminalDefault)
        #expect(terminal.cell(row: 0, column: 5).background == .indexed(1))
        #expect(terminal.cell(row: 1, column: 0).background == .terminalDefault)
    }
}
