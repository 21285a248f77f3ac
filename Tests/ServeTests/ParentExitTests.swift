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
        // The parent: a shell that starts `serve` in the background (its output through `tee`, to this test and to
        // a log), waits until it listens (so that `serve` saw the shell as its parent) and ends. `tee` keeps the
        // test's pipe open until `serve` closes its output by exiting, so the run returns once `serve` has ended;
        // without the flag it would not return (the suite's time limit fails the test).
        let script = #""$0" --config "$1" --port 0 --exit-with-parent < /dev/null 2>&1 | tee "$2" & "#
            + #"until grep -q listening "$2" 2>/dev/null; do sleep 0.1; done"#
        let shell = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), [
            "-c", script, try ServeProcess.executable().path, config.path, log.path,
        ])
        #expect(shell.status == 0)
        #expect(shell.stdout.contains("parent process"))
        #expect(shell.stdout.contains("draining"))
        #expect(shell.stdout.contains("serve: stopped"))
    }
}
