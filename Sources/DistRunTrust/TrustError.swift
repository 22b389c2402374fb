// What can go wrong with keys and trust files, in words a person can act on.

public enum TrustError: Error, Equatable, CustomStringConvertible {
    case missingIdentity(folder: String, name: String)
    case identityExists(path: String)
    case cannotWrite(path: String, reason: String)
    case badLine(file: String, line: Int, message: String)

    public var description: String {
        switch self {
        case .missingIdentity(let folder, let name):
            "no key in \(folder) (\(name)-key.pem and \(name)-cert.pem): create one with '\(name == "agent" ? "distrund" : "distrun") keygen'"
        case .identityExists(let path):
            "\(path) already exists: remove it first to make a new key"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .badLine(let file, let line, let message):
            "\(file):\(line): \(message)"
        }
    }
}
