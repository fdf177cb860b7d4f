import Foundation

/// `worker.container_command` filled in for one run (pure): each placeholder replaced in every word, and
/// `{argv}`, a word of its own, replaced by `ansible-playbook` and its arguments.
struct ContainerTemplate: Sendable, Equatable {
    var words: [String]
    var image: String

    /// The command line for one run.
    /// - Parameters:
    ///   - environmentFile: the path `{env_file}` names.
    func arguments(
        runDirectory: String, project: String, runLock: String, callbackPlugins: String, environmentFile: String, argv: [String]
    ) -> [String] {
        let values = [
            "{image}": image, "{run_dir}": runDirectory, "{project}": project, "{run_lock}": runLock,
            "{callback_plugins}": callbackPlugins, "{env_file}": environmentFile,
        ]
        return words.flatMap { word -> [String] in
            if word == "{argv}" { return argv }
            var filled = word
            for (placeholder, value) in values {
                filled = filled.replacingOccurrences(of: placeholder, with: value)
            }
            return [filled]
        }
    }

    /// The environment file's text: one `NAME=value` line per variable, sorted (values are taken literally to the
    /// end of the line, as podman and docker read them, so a variable whose value holds a line break is left out).
    static func environmentFile(_ environment: [String: String]) -> String {
        environment.sorted { $0.key < $1.key }.filter { !$0.value.contains("\n") }.map { "\($0.key)=\($0.value)\n" }.joined()
    }
}
