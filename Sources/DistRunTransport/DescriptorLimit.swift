// Every connection costs descriptors (an agent's also costs its command's pipes), and a
// shell's default soft limit (often 1,024) is far below what a fleet of a thousand hosts needs.
// Raising the soft limit to the hard limit, as servers commonly do, needs no privilege.

#if canImport(Glibc)
    import Glibc
#endif

public enum DescriptorLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
