import ServiceLifecycle

/// The loop of the gateway's database pollers (`ScheduleRunner`, `WebhookDispatcher`): once the schema is
/// migrated, `work`, then a wait of `interval`, until graceful shutdown, which cancels the wait and so ends the
/// loop (not an error of the service).
enum PollingLoop {
    static func run(every interval: Duration, after startup: StartupGate?, _ work: @escaping @Sendable () async -> Void) async {
        await startup?.wait()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await work()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
