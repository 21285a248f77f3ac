internal import Foundation

/// Owns NUL-terminated copies of some strings (the model's input and output names), made once when a model loads
/// so that a run hands ORT their addresses without copying anything.
final class CStringArray: @unchecked Sendable {
    // Safe: the copies are written once in init and only read afterwards, from any thread.
    /// The copies' addresses, in the order given.
    let pointers: [UnsafePointer<CChar>?]

    /// Copies the strings (`strdup`).
    /// - Parameter strings: The strings.
    init(_ strings: [String]) {
        pointers = strings.map { UnsafePointer(strdup($0)) }
    }

    deinit { pointers.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
}
