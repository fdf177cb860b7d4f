/// Hides the secrets a URL can carry in its user part, wherever the URL appears in a text.
///
/// `https://user:secret@host/repo.git` becomes `https://user:***@host/repo.git` in any scheme; an http(s)
/// user part without a password is hidden whole (`https://TOKEN@host` → `https://***@host`), since services
/// take access tokens there. ssh users (`ssh://git@host`, `git@host:repo`) carry no secret and stay.
/// Used on everything shown or logged: API responses, job reasons, events and logs. The URL itself is kept
/// as given where git needs it.
public enum URLRedaction {
    public static func redact(_ text: String) -> String {
        guard text.contains("@") else { return text }
        return text.replacing(#/(?i)\b([a-z][a-z0-9+.\-]*://)([^/@\s:]*)(:[^/@\s]*)?@/#) { match in
            let scheme = String(match.1)
            if match.3 != nil { return "\(scheme)\(match.2):***@" }
            let lower = scheme.lowercased()
            if !match.2.isEmpty && (lower == "http://" || lower == "https://") { return "\(scheme)***@" }
            return String(match.0)
        }
    }
}
