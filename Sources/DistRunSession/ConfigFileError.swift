// The one error type of every config file DistRun reads (hosts.conf, themes): it names the
// file and the 1-based line, so a person can go straight to it.

public struct ConfigFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// 0 when the problem is the whole file (missing, empty).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

public typealias HostsFileError = ConfigFileError
public typealias ThemeError = ConfigFileError
