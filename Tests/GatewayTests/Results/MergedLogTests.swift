import Testing

@testable import Gateway

/// Shards' logs merged into one, as one `ansible-playbook` over every host prints it.
struct MergedLogTests {
    static func shard(_ index: Int, _ chunks: [(String, String)]) -> [LogChunk] {
        chunks.map { LogChunk(shard: index, type: $0.0, text: $0.1) }
    }

    static let play = "\nPLAY [web] *********************************************************************\n"
    static let ping = "\nTASK [Answer] ******************************************************************\n"
    static let include = "\nTASK [Only some] ***************************************************************\n"
    static let recap = "\nPLAY RECAP *********************************************************************\n"

    @Test func headersOnceHostLinesBeneathOneRecapSortedByHost() {
        let chunks =
            Self.shard(
                0,
                [
                    ("playbook_on_start", ""), ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping),
                    ("runner_on_start", ""), ("runner_on_ok", "ok: [web2]\n"), ("runner_on_ok", "ok: [web1]\n"),
                    (
                        "playbook_on_stats",
                        Self.recap
                            + "web1                       : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n"
                            + "web2                       : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\n"
                    ),
                ])
            + Self.shard(
                1,
                [
                    ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping),
                    ("runner_on_unreachable", "fatal: [db1]: UNREACHABLE! => {}\n"),
                    ("playbook_on_task_start", Self.include), ("runner_on_failed", "fatal: [app1]: FAILED! => {}\n"),
                    (
                        "playbook_on_stats",
                        Self.recap
                            + "app1                       : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   \n"
                            + "db1                        : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n\n"
                    ),
                    ("stdout", "\n"),
                ])
        let expected =
            Self.play + Self.ping + "ok: [web2]\nok: [web1]\nfatal: [db1]: UNREACHABLE! => {}\n" + Self.include
            + "fatal: [app1]: FAILED! => {}\n" + Self.recap
            + "app1                       : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   \n"
            + "db1                        : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n"
            + "web1                       : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n"
            + "web2                       : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\n"
        #expect(MergedLog.render(chunks) == expected)
    }

    /// A header printed again in the same play (a task run by a second `include_tasks`) is its own section; the
    /// same header in the next play is another one again.
    @Test func repeatedHeadersAreMatchedByOccurrenceAndPlay() {
        let one = Self.shard(
            0,
            [
                ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [a] first\n"),
                ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [a] second\n"),
                ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [a] play 2\n"),
            ])
        let two = Self.shard(
            1,
            [
                ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [b] first\n"),
                ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [b] second\n"),
                ("playbook_on_play_start", Self.play), ("playbook_on_task_start", Self.ping), ("runner_on_ok", "ok: [b] play 2\n"),
            ])
        let expected =
            Self.play + Self.ping + "ok: [a] first\nok: [b] first\n" + Self.ping + "ok: [a] second\nok: [b] second\n" + Self.play + Self.ping
            + "ok: [a] play 2\nok: [b] play 2\n"
        #expect(MergedLog.render(one + two) == expected)
    }

    /// What a shard printed before its first play (a warning) is kept once.
    @Test func textBeforeTheFirstPlayIsKeptOnce() {
        let warning = "[WARNING]: Could not match supplied host pattern\n"
        let chunks =
            Self.shard(0, [("playbook_on_start", warning), ("playbook_on_play_start", Self.play)])
            + Self.shard(1, [("playbook_on_start", warning), ("playbook_on_play_start", Self.play)])
        #expect(MergedLog.render(chunks) == warning + Self.play)
    }
}
