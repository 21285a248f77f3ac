import Foundation
import ModelRegistry

/// Draws a model's load progress on standard error as the registry reports it, e.g.
/// `loading tiny-llama [##########          ]  50%`, ending the line when the load ends.
enum LoadProgressBar {
    /// Follows the registry's events for `name` until its load ends; await the task to know the bar is done.
    static func follow(_ registry: ModelRegistry, model name: String) -> Task<Void, Never> {
        let events = registry.events(bufferingPolicy: .unbounded)
        return Task {
            for await event in events where event.name == name {
                switch event.kind {
                case .loadProgress(let progress): draw(name, progress)
                case .loaded, .loadFailed:
                    FileHandle.standardError.write(Data("\n".utf8))
                    return
                default: continue
                }
            }
        }
    }

    private static func draw(_ name: String, _ progress: LoadProgress) {
        let width = 20
        let filled = Int(((progress.fraction ?? 0) * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percent = progress.fraction.map { String(format: "%3d%%", Int(($0 * 100).rounded(.down))) } ?? " ..."
        FileHandle.standardError.write(Data("\r\(progress.phase.rawValue) \(name) [\(bar)] \(percent)".utf8))
    }
}
