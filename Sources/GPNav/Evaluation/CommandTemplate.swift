/// A training-command template whose placeholders become references to environment variables.
///
/// The values of `{config}`, `{trial}`, `{study}`, `{seed}`, `{epochs}` and `{slot}` never enter the
/// shell script: each placeholder is replaced by a reference to `GPNAV_CONFIG`, `GPNAV_TRIAL`,
/// `GPNAV_STUDY`, `GPNAV_SEED`, `GPNAV_EPOCHS` or `GPNAV_SLOT`,
/// written for the quoting around it, and the command's environment carries the values. The
/// script is the user's template with fixed text in place of the placeholders, so no value (a
/// study named `';touch x;'`, `$(...)`, a backquote, a newline) can be read as shell syntax.
///
/// A small scanner follows POSIX shell quoting to pick the reference's form:
/// - outside quotes: `"${GPNAV_STUDY}"` (one word, no splitting or globbing);
/// - inside `'...'`: `'"${GPNAV_STUDY}"'` (close the quotes, expand, reopen);
/// - inside `"..."` or `$((...))`: `${GPNAV_STUDY}`.
///
/// `$(...)` and backquotes start a fresh quoting context, as in the shell. A placeholder written
/// with a backslash before its brace (`\{trial}`) is left as text. Here-documents are not
/// followed; a here-document body should use `$GPNAV_STUDY` and the like directly.
struct CommandTemplate: Sendable {
    /// The placeholders and the environment variables that carry their values.
    static let variables: [(placeholder: String, variable: String)] = [
        ("{config}", "GPNAV_CONFIG"),
        ("{trial}", "GPNAV_TRIAL"),
        ("{study}", "GPNAV_STUDY"),
        ("{seed}", "GPNAV_SEED"),
        ("{epochs}", "GPNAV_EPOCHS"),
        ("{slot}", "GPNAV_SLOT"),
    ]

    /// The template as the user wrote it.
    let template: String

    /// The quoting a scanned character is in.
    private enum Context {
        /// Outside quotes; `closer` says what ends this context.
        case plain(closer: Closer, depth: Int)
        case singleQuoted
        case doubleQuoted
        /// Inside `$((...))`, with the depth of inner parentheses.
        case arithmetic(depth: Int)
    }

    private enum Closer { case end, parenthesis, backquote }

    /// The shell script: the template with each placeholder replaced by a variable reference.
    var script: String { rendered().script }

    /// Whether the template uses `placeholder` (one of ``variables``) where the shell reads it, not
    /// escaped as `\{...}`.
    func uses(placeholder: String) -> Bool { rendered().used.contains(placeholder) }

    /// The script, and the placeholders it replaced.
    private func rendered() -> (script: String, used: Set<String>) {
        var used: Set<String> = []
        let scalars = Array(template.unicodeScalars)
        var output = String.UnicodeScalarView()
        var stack: [Context] = [.plain(closer: .end, depth: 0)]
        var index = 0

        func hasPrefix(_ text: String, at position: Int) -> Bool {
            var position = position
            for scalar in text.unicodeScalars {
                guard position < scalars.count, scalars[position] == scalar else { return false }
                position += 1
            }
            return true
        }
        func emit(_ text: String) { output.append(contentsOf: text.unicodeScalars) }

        while index < scalars.count {
            let scalar = scalars[index]
            let context = stack[stack.count - 1]
            if scalar == "{", let match = Self.variables.first(where: { hasPrefix($0.placeholder, at: index) }) {
                switch context {
                case .plain: emit("\"${\(match.variable)}\"")
                case .singleQuoted: emit("'\"${\(match.variable)}\"'")
                case .doubleQuoted, .arithmetic: emit("${\(match.variable)}")
                }
                used.insert(match.placeholder)
                index += match.placeholder.unicodeScalars.count
                continue
            }
            output.append(scalar)
            index += 1
            switch context {
            case .singleQuoted:
                if scalar == "'" { stack.removeLast() }
            case .doubleQuoted:
                switch scalar {
                case "\\":
                    if index < scalars.count { output.append(scalars[index]); index += 1 }
                case "\"": stack.removeLast()
                case "`": stack.append(.plain(closer: .backquote, depth: 0))
                case "$": index = openSubstitution(scalars, at: index, output: &output, stack: &stack)
                default: break
                }
            case .arithmetic(let depth):
                switch scalar {
                case "(": stack[stack.count - 1] = .arithmetic(depth: depth + 1)
                case ")" where depth > 0: stack[stack.count - 1] = .arithmetic(depth: depth - 1)
                case ")":
                    if index < scalars.count, scalars[index] == ")" { output.append(")"); index += 1 }
                    stack.removeLast()
                case "$": index = openSubstitution(scalars, at: index, output: &output, stack: &stack)
                default: break
                }
            case .plain(let closer, let depth):
                switch scalar {
                case "\\":
                    if index < scalars.count { output.append(scalars[index]); index += 1 }
                case "'": stack.append(.singleQuoted)
                case "\"": stack.append(.doubleQuoted)
                case "`" where closer == .backquote: stack.removeLast()
                case "`": stack.append(.plain(closer: .backquote, depth: 0))
                case "$": index = openSubstitution(scalars, at: index, output: &output, stack: &stack)
                case "(" where closer == .parenthesis: stack[stack.count - 1] = .plain(closer: closer, depth: depth + 1)
                case ")" where closer == .parenthesis:
                    if depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .plain(closer: closer, depth: depth - 1) }
                default: break
                }
            }
        }
        return (String(output), used)
    }

    /// After a `$` at `index - 1`: enters `$((` or `$(` and returns the index after what it consumed.
    private func openSubstitution(
        _ scalars: [Unicode.Scalar], at index: Int, output: inout String.UnicodeScalarView, stack: inout [Context]
    ) -> Int {
        guard index < scalars.count, scalars[index] == "(" else { return index }
        if index + 1 < scalars.count, scalars[index + 1] == "(" {
            output.append(contentsOf: "((".unicodeScalars)
            stack.append(.arithmetic(depth: 0))
            return index + 2
        }
        output.append("(")
        stack.append(.plain(closer: .parenthesis, depth: 0))
        return index + 1
    }

    /// The environment variables the command gets: the placeholders' values by variable name.
    /// `GPNAV_EPOCHS` is set only when the study has a training length.
    static func environment(config: String, trial: Int, study: String, seed: Int = 0, epochs: Int? = nil,
                            slot: Int = 0) -> [String: String] {
        var variables = ["GPNAV_CONFIG": config, "GPNAV_TRIAL": String(trial), "GPNAV_STUDY": study, "GPNAV_SEED": String(seed),
                         "GPNAV_SLOT": String(slot)]
        if let epochs { variables["GPNAV_EPOCHS"] = String(epochs) }
        return variables
    }
}
