// The colourless variant of a theme, for NO_COLOR (no-color.org). Dropping colours can make
// roles that only colour told apart look alike: the selection like plain text, a failed host
// like a running one, a red broadcast bar like the quiet one. The mono theme's attributes are
// designed to work without colour and tested against the contrast tables in ThemeRole.swift,
// so they are added where colour carried the meaning: to roles drawn on a coloured background
// (bars and highlights, which would otherwise vanish), to marking roles left looking like plain
// text, and to groups whose members came out alike. The theme's own attributes are kept unless
// keeping one would make two roles of a group look the same again.

extension Theme {
    public func withoutColors() -> Theme {
        let mono = Theme.builtInMono
        var styles = ThemeRole.allCases.reduce(into: [:]) { $0[$1] = self[$1].withoutColors }
        for role in ThemeRole.allCases where self[role].background != .terminalDefault {
            styles[role]?.attributes.formUnion(mono[role].attributes)
        }
        for role in ThemeRole.standingOut where styles[role]?.looksLike(.plain) ?? false {
            styles[role]?.attributes.formUnion(mono[role].attributes)
        }
        for group in ThemeRole.distinctGroups {
            let own = group.map { styles[$0] ?? .plain }
            for (role, style) in zip(group, Self.distinctStyles(own, mono: group.map { mono[$0] })) {
                styles[role] = style
            }
        }
        return Theme(name: name, styles: styles)
    }

    /// `own` if its members already differ, else each with mono's attributes added if that
    /// makes them differ, else mono's styles with each role's own attributes added back where
    /// they collide with no other member (so the members differ at every step).
    static func distinctStyles(_ own: [ThemeStyle], mono: [ThemeStyle]) -> [ThemeStyle] {
        if allDistinct(own) { return own }
        let merged = zip(own, mono).map { ThemeStyle(attributes: $0.attributes.union($1.attributes)) }
        if allDistinct(merged) { return merged }
        var chosen = mono
        for index in chosen.indices {
            let candidate = merged[index]
            let others = chosen.indices.lazy.filter { $0 != index }.map { chosen[$0] }
            if !others.contains(where: { $0.looksLike(candidate) }) { chosen[index] = candidate }
        }
        return chosen
    }

    static func allDistinct(_ styles: [ThemeStyle]) -> Bool {
        styles.indices.allSatisfy { i in styles[..<i].allSatisfy { !$0.looksLike(styles[i]) } }
    }
}
