import Foundation
import GaussianProcess

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a shell command ended, with what it printed.
struct ProcessOutcome: Sendable {
    enum Termination: Sendable, Equatable {
        /// Exited by itself with this status.
        case exited(Int32)
        /// Ended by this signal.
        case signaled(Int32)
    }

    var termination: Termination
    /// Whether the time limit ran out and the process group was killed.
    var timedOut: Bool
    /// The last bytes of stdout and stderr together, in arrival order, as text.
    var outputTail: String
    /// Whether a stop was asked (``TrainingStop``) while the command ran and its group was killed.
    var stopped = false
    /// The last line with text the command wrote on stderr, at most
    /// ``OutputTail/lastLineLength`` characters: usually the reason it failed.
    var lastErrorLine: String? = nil
}

/// Why a command could not be started.
struct LaunchFailure: Error, Sendable {
    var message: String
}

/// The shell script that runs a trial's command ($1) with a watchdog beside it, for Linux.
///
/// The watchdog is a background loop in the command's process group. Once a second it reads the
/// parent of the trial's process ($$, which `exec` turns into the command itself, keeping its pid
/// and exit status) from /proc. While gpnav ($2) lives, that parent is gpnav; when gpnav dies
/// (SIGKILL, which no handler sees), the process is re-parented at once, even while gpnav's own
/// parent has not reaped it yet, and the watchdog kills the whole group. When the command ends,
/// the runner kills the group and the watchdog with it.
let orphanWatchdog = """
    gpnav=$2
    (
      while stat=$(cat /proc/$$/stat 2>/dev/null); do
        stat=${stat##*) }
        set -- $stat
        [ "$2" = "$gpnav" ] || break
        sleep 1
      done
      kill -KILL 0
    ) </dev/null >/dev/null 2>&1 &
    exec /bin/sh -c "$1"
    """

/// Whether the watchdog can see process parents (Linux's /proc); elsewhere commands run bare.
let canWatchForOrphans = FileManager.default.fileExists(atPath: "/proc/self/stat")

/// Runs `/bin/sh -c COMMAND` in a process group of its own and waits for it, blocking the calling
/// thread (call it from a dedicated thread, never from the cooperative pool).
///
/// - The command inherits gpnav's environment less gpnav's own variables (see
///   ``CommandEnvironment``), with `environment` added.
/// - stdin is `/dev/null`; stdout and stderr go to pipes read with `poll`. Only the last
///   `outputLimit` bytes of the two together are kept, so a command may print any amount.
/// - Every complete line of stdout (and a final line without newline) is handed to `stdoutLine`;
///   a line longer than `maxLineLength` bytes is not kept (to bound memory) and is handed on as
///   ``StdoutLine/overlong(number:bytes:mentionsAccuracy:)``.
/// - When `timeout` seconds pass, or `stop` is requested, the whole group gets SIGTERM and,
///   `grace` seconds later, SIGKILL, so children and grandchildren die with the command.
/// - When the command exits by itself, whatever it left running in its group is killed, so no
///   stray process outlives a trial.
enum ProcessRunner {
    /// The longest stdout line read, in bytes: 16 MiB, far above any result line (a result with
    /// thousands of metrics is well under 1 MiB) and small enough to hold in memory.
    static let maxLineLength = 16 * 1024 * 1024

    static func run(
        command: String,
        environment: [String: String] = [:],
        workingDirectory: String?,
        timeout: Double,
        grace: Double,
        outputLimit: Int,
        stop: TrainingStop? = nil,
        stdoutLine: (StdoutLine) -> Void
    ) -> Result<ProcessOutcome, LaunchFailure> {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // The pipes are made close-on-exec under a lock that every spawn here takes: a command
        // spawned concurrently by another evaluation must not inherit our write ends, or our
        // pipes would stay open until that other command ends. (Glibc's pipe2 would do this
        // atomically but is not visible to Swift.)
        spawnLock.lock()
        guard makePipe(&outPipe) else {
            spawnLock.unlock()
            return .failure(LaunchFailure(message: "could not create a pipe: \(errnoText())"))
        }
        guard makePipe(&errPipe) else {
            spawnLock.unlock()
            close(outPipe[0]); close(outPipe[1])
            return .failure(LaunchFailure(message: "could not create a pipe: \(errnoText())"))
        }
        var script = command
        if let directory = workingDirectory {
            script = "cd -- \(CommandEvaluator.shellQuoted(directory)) || exit 126\n" + command
        }
        guard !RunningCommands.isStopping else {
            spawnLock.unlock()
            for fd in outPipe + errPipe { close(fd) }
            return .failure(LaunchFailure(message: "not started: gpnav is stopping"))
        }
        let spawned = spawn(command: script, environment: environment, stdout: outPipe[1], stderr: errPipe[1])
        if case .success(let pid) = spawned, !RunningCommands.insert(pid) {
            // Stopping began between the check and the spawn: end the command at once.
            kill(-pid, SIGKILL)
        }
        spawnLock.unlock()
        close(outPipe[1])
        close(errPipe[1])
        guard case .success(let pid) = spawned else {
            close(outPipe[0]); close(errPipe[0])
            if case .failure(let failure) = spawned { return .failure(failure) }
            return .failure(LaunchFailure(message: "spawn failed"))
        }

        var tail = OutputTail(limit: outputLimit)
        // stderr alone, for its last line: a few KiB hold any error line worth quoting.
        var errorTail = OutputTail(limit: 4096)
        var lines = LineSplitter(maxLength: maxLineLength)
        var open: [Int32] = [outPipe[0], errPipe[0]]
        let start = monotonicSeconds()
        var exitStatus: Int32?
        var timedOut = false
        var stopped = false
        var killAt: Double?
        var drainUntil: Double?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        while true {
            let now = monotonicSeconds() - start
            if exitStatus == nil, !timedOut, !stopped, now >= timeout {
                timedOut = true
                kill(-pid, SIGTERM)
                killAt = now + grace
            }
            if exitStatus == nil, !timedOut, !stopped, stop?.isRequested == true {
                stopped = true
                kill(-pid, SIGTERM)
                killAt = now + grace
            }
            if let deadline = killAt, now >= deadline {
                kill(-pid, SIGKILL)
                killAt = nil
            }
            if exitStatus == nil, hasExited(pid) {
                // The exited child is a zombie until reaped, so its process group id cannot be
                // reused yet: killing the group here hits only what the command left behind.
                kill(-pid, SIGKILL)
                RunningCommands.remove(pid)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1, errno == EINTR {}
                exitStatus = status
                killAt = nil
                // Descendants that left the group could hold the pipes open; stop waiting soon.
                drainUntil = now + 2
            }
            if exitStatus != nil, open.isEmpty { break }
            if let limit = drainUntil, now >= limit { break }

            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready < 0, errno != EINTR { break }
            guard ready > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let chunk = buffer[0..<count]
                    tail.append(chunk)
                    if entry.fd == outPipe[0] { lines.feed(chunk, to: stdoutLine) } else { errorTail.append(chunk) }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        for fd in open { close(fd) }
        lines.finish(to: stdoutLine)
        if exitStatus == nil {
            // Only reached when poll itself failed: end the command rather than leave it running.
            kill(-pid, SIGKILL)
            RunningCommands.remove(pid)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            exitStatus = status
        }

        let status = exitStatus ?? 0
        let signal = status & 0x7f
        let termination: ProcessOutcome.Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        return .success(ProcessOutcome(termination: termination, timedOut: timedOut, outputTail: tail.text, stopped: stopped,
                                       lastErrorLine: errorTail.lastLine))
    }

    private static let spawnLock = NSLock()

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private static func spawn(
        command: String, environment: [String: String], stdout: Int32, stderr: Int32
    ) -> Result<pid_t, LaunchFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group (id = the child's pid) so that the whole tree can be signalled;
        // default dispositions and an empty mask so that SIGTERM and SIGPIPE work in the child.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let shellArguments = canWatchForOrphans
            ? ["/bin/sh", "-c", orphanWatchdog, "gpnav-trial", command, String(getpid())]
            : ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = shellArguments.map { (text: String) in strdup(text) }
        defer { arguments.forEach { free($0) } }
        let argv = arguments + [nil]
        let variables: [UnsafeMutablePointer<CChar>?] = childEnvironment(adding: environment).map { strdup($0) }
        defer { variables.forEach { free($0) } }
        let envp = variables + [nil]
        var pid: pid_t = 0
        // The command runs as nice as gpnav was started, whichever thread starts it.
        let result = ThreadNiceness.likeMainThread { posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp) }
        guard result == 0 else {
            return .failure(LaunchFailure(message: "could not start /bin/sh: \(String(cString: strerror(result)))"))
        }
        return .success(pid)
    }

    /// gpnav's environment as `NAME=value` entries, less what ``CommandEnvironment`` withholds,
    /// with `extra` added.
    private static func childEnvironment(adding extra: [String: String]) -> [String] {
        var inherited: [String] = []
        var index = 0
        while let entry = environ[index] {
            inherited.append(String(cString: entry))
            index += 1
        }
        return CommandEnvironment.entries(inherited: inherited, adding: extra)
    }

    /// Whether the child has exited, without reaping it (WNOWAIT keeps the zombie, and so its pid).
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        // Linux zeroes `info` when no child is waitable.
        return result == 0 && info.si_signo != 0
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// The last `limit` bytes of a stream, counting how many were dropped before them.
struct OutputTail {
    let limit: Int
    private var bytes: [UInt8] = []
    private(set) var dropped = 0

    init(limit: Int) { self.limit = max(0, limit) }

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        bytes.append(contentsOf: chunk)
        // Trim only when twice over the limit, so that trimming costs O(1) per byte on average.
        if bytes.count > 2 * limit + 4096 { trim() }
    }

    private mutating func trim() {
        var excess = bytes.count - limit
        guard excess > 0 else { return }
        // Never start inside a character: drop the continuation bytes of a cut one too.
        while excess < bytes.count, bytes[excess] & 0xC0 == 0x80 { excess += 1 }
        bytes.removeFirst(excess)
        dropped += excess
    }

    /// The kept bytes as text after a note of what was dropped. Nothing is lost silently: a NUL
    /// byte is written `\u{0}` (a database text or C string would end there) and each byte of
    /// an invalid UTF-8 sequence `\x{FF}`.
    var text: String {
        var copy = self
        copy.trim()
        let body = Self.visibleText(copy.bytes)
        return copy.dropped > 0 ? "[... \(copy.dropped) earlier bytes omitted]\n" + body : body
    }

    /// The longest ``lastLine`` kept, in characters; longer lines are cut with "...".
    static let lastLineLength = 300

    /// The last line of the kept bytes that holds more than white space, trimmed and with control
    /// characters escaped (``TerminalText``); a line rewritten in place (a progress bar's CRs)
    /// counts from its last CR.
    var lastLine: String? {
        var copy = self
        copy.trim()
        let lines = Self.visibleText(copy.bytes).split(whereSeparator: \.isNewline)
        guard let line = lines.last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        // Escaped: the line goes into a one-line reason that terminals and logs show.
        let trimmed = TerminalText.escaped(line.trimmingCharacters(in: .whitespaces))
        return trimmed.count > Self.lastLineLength ? trimmed.prefix(Self.lastLineLength) + "..." : trimmed
    }

    static func visibleText(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0
            if lead != 0, lead < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(lead))
                index += 1
            } else if lead == 0 {
                text += "\\u{0}"
                index += 1
            } else if length > 0, index + length <= bytes.count,
                      let character = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                text += character
                index += length
            } else {
                text += "\\x{" + String(lead, radix: 16, uppercase: true) + "}"
                index += 1
            }
        }
        return text
    }
}
