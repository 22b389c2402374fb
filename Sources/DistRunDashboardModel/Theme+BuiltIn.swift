// The built-in themes: verbatim copies of themes/default.theme and themes/mono.theme, embedded
// so the dashboard always has a complete theme without reading a file (this module does no
// I/O) and so NO_COLOR has mono's attributes at hand. ThemeTests parse the files and check they
// equal these; edit a file, then paste it here.

extension Theme {
    /// Every role a theme file leaves out takes its style from here.
    public static let builtInDefault = Theme(builtIn: "default", text: defaultThemeText)
    public static let builtInMono = Theme(builtIn: "mono", text: monoThemeText)

    private init(builtIn name: String, text: String) {
        do {
            self.init(name: name, styles: try ThemeParser.parse(text, file: "<built-in \(name) theme>"))
        } catch {
            // The text is a constant that the tests parse; failing here is a defect in this file.
            fatalError("\(error)")
        }
    }

    static let defaultThemeText = #"""
        # default: the built-in theme, for dark terminals. Roles a theme file leaves out fall back to
        # this one. DistRun embeds a copy (Sources/DistRunDashboardModel/Theme+BuiltIn.swift); a test keeps
        # them equal. Format and roles: themes/README.md.

        # ROLE              = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]
        header              = bright-white blue bold
        status-bar          = white blue
        # Broadcast is loud, like tmux's red border under synchronize-panes.
        status-broadcast    = bright-white red bold
        border              = bright-black
        border-selected     = green
        border-broadcast    = red bold
        pane-title          = white
        pane-title-selected = black green bold

        host-connecting     = cyan
        host-running        = green
        host-exited-ok      = green dim
        host-exited-failed  = red
        host-lost           = yellow
        host-failed         = red bold
        host-skipped        = bright-black

        host-list           = default
        tag                 = yellow bold
        selection           = black cyan
        search-match        = black yellow
        scroll-marker       = black white
        stderr              = magenta
        help                = default
        prompt              = bright-cyan
        error               = bright-white red bold
        """#

    static let monoThemeText = #"""
        # mono: no colours at all, only attributes, for monochrome terminals and as the source of the
        # attributes NO_COLOR adds where a colour theme relied on colour. Every role a widget draws
        # beside another still looks different. DistRun embeds a copy; a test keeps them equal.
        # Avoids standout (most terminals draw it as reverse) and leans on bold, dim, underline and
        # reverse, which nearly every terminal shows; italic only marks the least important state.

        # ROLE              = FOREGROUND [BACKGROUND] [ATTRIBUTE ...]
        header              = default bold
        status-bar          = default reverse
        status-broadcast    = default reverse bold underline
        border              = default
        border-selected     = default bold
        border-broadcast    = default reverse bold
        pane-title          = default
        pane-title-selected = default reverse

        host-connecting     = default dim underline
        host-running        = default
        host-exited-ok      = default dim
        host-exited-failed  = default bold underline
        host-lost           = default underline
        host-failed         = default bold
        host-skipped        = default dim italic

        host-list           = default
        tag                 = default bold
        selection           = default reverse
        search-match        = default reverse bold
        scroll-marker       = default reverse
        stderr              = default bold
        help                = default
        prompt              = default bold
        error               = default reverse bold
        """#
}
