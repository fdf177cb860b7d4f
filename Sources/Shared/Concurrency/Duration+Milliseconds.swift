extension Duration {
    /// The whole milliseconds of the duration (rounded toward zero), for logs, polls and C timeouts.
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
