import Testing
@testable import Splitter

