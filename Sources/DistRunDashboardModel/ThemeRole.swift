// The semantic roles widgets draw in, and the rules that keep them readable. Widgets name a
// role, never a colour; a theme maps each role to a style. The raw values are the names used
// in theme files. The contrast tables below say which roles the eye must tell apart; tests
// hold every shipped theme to them, and `Theme.withoutColors()` restores them when NO_COLOR
// takes the colours away.

public enum ThemeRole: String, CaseIterable, Sendable {
    case header = "header"
    case statusBar = "status-bar"
    case statusBroadcast = "status-broadcast"
    case border = "border"
    case borderSelected = "border-selected"
    case borderBroadcast = "border-broadcast"
    case paneTitle = "pane-title"
    case paneTitleSelected = "pane-title-selected"
    case hostConnecting = "host-connecting"
    case hostRunning = "host-running"
    case hostExitedOk = "host-exited-ok"
    case hostExitedFailed = "host-exited-failed"
    case hostLost = "host-lost"
    case hostFailed = "host-failed"
    case hostSkipped = "host-skipped"
    case hostList = "host-list"
    case tag = "tag"
    case selection = "selection"
    case searchMatch = "search-match"
    case scrollMarker = "scroll-marker"
    case stderr = "stderr"
    case help = "help"
    case prompt = "prompt"
    case error = "error"

    /// Roles drawn side by side whose styles must differ pairwise, or the screen lies:
    /// a failed host would pass for a running one, the broadcast border for a quiet one.
    public static let distinctGroups: [[ThemeRole]] = [
        [.hostConnecting, .hostRunning, .hostExitedOk, .hostExitedFailed, .hostLost, .hostFailed, .hostSkipped],
        [.border, .borderSelected, .borderBroadcast],
        [.paneTitle, .paneTitleSelected],
        [.statusBar, .statusBroadcast],
        [.hostList, .selection, .tag, .searchMatch],
    ]

    /// Roles that mark something within ordinary text, so each must differ from plain text.
    public static let standingOut: [ThemeRole] = [
        .statusBroadcast, .borderBroadcast, .paneTitleSelected, .tag, .selection, .searchMatch,
        .scrollMarker, .stderr, .error,
    ]
}
