// Joining a folder and a file name the way `NSString.appendingPathComponent` does, without
// Foundation: the client's modules link only FoundationEssentials, which has no path strings.

public enum PathName {
    /// `folder/name`, with no doubled slash when `folder` ends in one; `name` alone when
    /// `folder` is empty.
    public static func joined(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
