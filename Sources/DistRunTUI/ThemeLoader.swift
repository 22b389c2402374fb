// Finds and reads theme files: `--theme NAME` looks for NAME.theme in ./themes, beside the
// installed binary, and in the source tree the binary was built from; `default` and `mono` are
// also built in, so the dashboard starts even with no theme files around.

import DistRunDashboardModel
import Foundation

public enum ThemeLoader {
    public struct NotFound: Error, CustomStringConvertible {
        public var name: String
        public var searched: [String]
        public var description: String {
            "no theme '\(name)': looked for \(name).theme in \(searched.joined(separator: ", "))"
        }
    }

    public static func load(named name: String) throws -> Theme {
        let folders = searchFolders()
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent("\(name).theme")
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return try Theme.parse(text, name: name, file: path)
            }
        }
        switch name {
        case "default": return .builtInDefault
        case "mono": return .builtInMono
        default: throw NotFound(name: name, searched: folders)
        }
    }

    static func searchFolders() -> [String] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let besideBinary = executable.deletingLastPathComponent().appendingPathComponent("themes").path
        let installed = executable.deletingLastPathComponent().appendingPathComponent("../share/distrun/themes")
            .standardizedFileURL.path
        // .build/debug/distrun-tui → the package root's themes/.
        let sourceTree = executable.deletingLastPathComponent().appendingPathComponent("../../themes")
            .standardizedFileURL.path
        return ["themes", besideBinary, installed, sourceTree]
    }
}
