import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Progress output: on a terminal, a status line redrawn in place with notes printed above it; otherwise
/// plain lines (each note, and the status when it changes, at most every two seconds).
final class TerminalOutput: @unchecked Sendable {
    // @unchecked: used from one task at a time (the follower's).
    let isTerminal: Bool
    private var lastStatus = ""
    private var lastPrinted = ContinuousClock.now - .seconds(10)
    private var statusShown = false

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    func note(_ text: String) {
        if isTerminal {
            clearStatus()
            print(text)
            redraw()
        } else {
            print(text)
        }
        fflush(nil)
    }

    func status(_ text: String) {
        guard text != lastStatus else { return }
        lastStatus = text
        if isTerminal {
            redraw()
        } else if ContinuousClock.now - lastPrinted >= .seconds(2) {
            lastPrinted = .now
            print(text)
            fflush(nil)
        }
    }

    /// Ends the status line (the last status stays on screen, or is printed once more).
    func finishLine() {
        if isTerminal {
            if statusShown { print("") }
        } else if !lastStatus.isEmpty {
            print(lastStatus)
        }
        statusShown = false
        fflush(nil)
    }

    private func clearStatus() {
        if statusShown { print("\r\u{1B}[2K", terminator: "") }
        statusShown = false
    }

    private func redraw() {
        guard !lastStatus.isEmpty else { return }
        print("\r\u{1B}[2K" + lastStatus, terminator: "")
        statusShown = true
        fflush(nil)
    }
}
