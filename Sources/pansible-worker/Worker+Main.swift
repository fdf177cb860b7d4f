import Worker

/// The whole of `pansible-worker`: the process lives in the Worker library, which its tests import too.
@main
extension WorkerCommand {}
