import Splitter

/// The whole of `pansible-splitter`: the process lives in the Splitter library, which its tests import too.
@main
extension SplitterCommand {}
