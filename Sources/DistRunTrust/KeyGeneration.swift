// `distrund keygen` and `distrun keygen`: a new identity in the trust folder, and what to do
// with its fingerprint.

public enum KeyGeneration {
    /// Creates `NAME-key.pem` and `NAME-cert.pem` in `folder`; returns the lines to print.
    public static func run(folder: String, name: String) throws -> String {
        let identity = try Identity.generate(commonName: "distrun-\(name)")
        try identity.write(to: folder, name: name)
        let next =
            name == "agent"
            ? "Clients pin it on first contact; compare it with what they report."
            : "Add this line to each agent's \(AuthorizedClients.fileName) file:\n\(identity.fingerprint)"
        return "Wrote \(folder)/\(name)-key.pem and \(name)-cert.pem (mode 0600).\n"
            + "Fingerprint: \(identity.fingerprint)\n\(next)\n"
    }
}
