// The keepalive's numbers both sides rely on (`PNG` / `PON`, protocol version 3): a client takes
// an agent it hears nothing from, not even `PNG`, for `agentSilenceLimitSeconds` as lost, so an
// agent must ping well within that.

public enum KeepaliveTiming {
    /// How long a client waits, hearing nothing while it reads, before taking the agent as lost.
    public static let agentSilenceLimitSeconds: Int64 = 50
    /// The longest ping interval an agent may use: at least three pings fit in the silence limit.
    public static let maxPingIntervalSeconds = 15.0
}
