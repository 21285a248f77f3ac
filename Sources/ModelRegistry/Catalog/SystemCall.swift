#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns failed POSIX calls into ``RegistryError/fileSystem(path:operation:reason:)`` errors that carry the C
/// library's own message.
enum SystemCall {
    /// The error for the current `errno`.
    /// - Parameters:
    ///   - path: The file the call was about.
    ///   - operation: What was being done, e.g. `"lock"`; the message reads "cannot lock <path>".
    ///   - code: The error number; defaults to `errno`.
    /// - Returns: The error, with `strerror`'s text and the number.
    static func error(path: String, operation: String, code: Int32 = errno) -> RegistryError {
        .fileSystem(path: path, operation: operation, reason: "\(message(code)) (errno \(code))")
    }

    /// `strerror`'s text for an error number.
    static func message(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Runs a call that returns -1 and sets `errno` on failure, retrying while it is interrupted (`EINTR`).
    /// - Parameters:
    ///   - path: The file the call is about, for the error.
    ///   - operation: What the call does, for the error.
    ///   - call: The call.
    /// - Returns: The call's non-negative result.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when the call fails.
    @discardableResult
    static func retrying(path: String, operation: String, _ call: () -> Int32) throws(RegistryError) -> Int32 {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw error(path: path, operation: operation) }
        }
    }

    /// Opens a file descriptor, retrying while interrupted.
    /// - Parameters:
    ///   - path: The file.
    ///   - flags: `open(2)` flags; `O_CLOEXEC` is always added.
    ///   - mode: The permissions of a created file.
    /// - Returns: The descriptor, which the caller must close, or -1 with `errno` set.
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) -> Int32 {
        while true {
            #if canImport(Glibc)
            let descriptor = Glibc.open(path, flags | O_CLOEXEC, mode)
            #else
            let descriptor = Darwin.open(path, flags | O_CLOEXEC, mode)
            #endif
            if descriptor >= 0 || errno != EINTR { return descriptor }
        }
    }

    /// Opens a file descriptor, retrying while interrupted.
    /// - Parameters:
    ///   - path: The file.
    ///   - flags: `open(2)` flags; `O_CLOEXEC` is always added.
    ///   - mode: The permissions of a created file.
    ///   - operation: What the open is for, for the error.
    /// - Returns: The descriptor, which the caller must close.
    /// - Throws: ``RegistryError/fileSystem(path:operation:reason:)`` when `open(2)` fails.
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644, operation: String) throws(RegistryError)
        -> Int32
    {
        let descriptor = open(path, flags: flags, mode: mode)
        guard descriptor >= 0 else { throw error(path: path, operation: operation) }
        return descriptor
    }

    /// Closes a descriptor, ignoring errors (the data was already synced where it matters).
    /// - Parameter descriptor: The descriptor to close.
    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}
