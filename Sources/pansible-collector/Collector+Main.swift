import Collector

/// The whole of `pansible-collector`: the process lives in the Collector library, which its tests import too.
@main
extension CollectorCommand {}
