import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// `serve --exit-with-parent`: once the process that started it ends, `serve` drains and exits by itself, so a
/// crashed supervisor (or test run) cannot leave it running.
@Suite(.timeLimit(.minutes(2)))
struct ParentExitTests {
    @Test func serveDrainsAndExitsOnceItsParentHasEnded() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("models.json")
        let iris = NativeFixtures.model("logreg_iris.onnx").path
        try Data(#"{"models": {"iris": {"engine": "onnxruntime", "type": "classifier", "path": "\#(iris)"}}}"#.utf8)
            .write(to: config)
        let log = folder.appendingPathComponent("serve.log")
        // The parent: a shell that starts `serve` in the background, prints its pid, waits until it listens (so
        // that `serve` saw the shell as its parent) and ends.
        let script = #""$0" --config "$1" --port 0 --exit-with-parent > "$2" 2>&1 < /dev/null & echo $!; "#
            + #"until grep -q listening "$2" 2>/dev/null; do sleep 0.1; done"#
        let shell = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), [
            "-c", script,
            try ServeProcess.executable().path, config.path, log.path,
        ])
        #expect(shell.status == 0)
        let pid = try #require(Int32(shell.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        // serve checks its parent twice a second; its log ends with "stopped" after the drain.
        var output = ""
        while !output.contains("serve: stopped") {
            try await Task.sleep(for: .milliseconds(100))
            output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        #expect(output.contains("parent process"))
        #expect(output.contains("draining"))
        // Then the process ends: gone, or a zombie waiting for the reaper it was handed to. (Should it never end,
        // the suite's time limit fails the test.)
        while !Self.hasEnded(pid) { try await Task.sleep(for: .milliseconds(50)) }
    }

    private static func hasEnded(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
