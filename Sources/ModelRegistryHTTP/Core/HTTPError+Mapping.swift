import ModelRegistry

// MARK: - Registry errors

extension HTTPError {
    /// The status and message for an error thrown by the registry, the catalog or an engine. Engine-specific errors
    /// are mapped by the mappers given (see ``RegistryRouter``); anything unknown is a 500.
    static func from(_ error: any Error, mappers: [@Sendable (any Error) -> HTTPError?] = []) -> HTTPError {
        if let error = error as? HTTPError { return error }
        if let error = error as? RegistryError { return from(error) }
        if error is CancellationError {
            return HTTPError(status: 503, code: "cancelled", message: "the request was cancelled", retryAfterSeconds: 1)
        }
        for mapper in mappers { if let mapped = mapper(error) { return mapped } }
        return HTTPError(status: 500, code: "internal_error", message: "\(error)")
    }

    /// The status and message for a ``RegistryError``.
    static func from(_ error: RegistryError) -> HTTPError {
        let message = error.description
        switch error {
        case .modelNotFound(let name, let available):
            return .modelNotFound(name, available: available)
        case .noDefaultModel:
            return HTTPError(status: 404, code: "model_not_found", message: message, field: "model")
        case .modelAlreadyRegistered, .versionAlreadyExists:
            return HTTPError(status: 409, code: "conflict", message: message)
        case .versionNotFound, .noProductionVersion:
            return HTTPError(status: 404, code: "version_not_found", message: message)
        case .invalidVersion:
            return HTTPError(status: 400, code: "invalid_request", message: message, field: "version")
        case .invalidConfiguration(_, _, let field, _):
            return HTTPError(status: 400, code: "invalid_request", message: message, field: field)
        case .engineTypeMismatch:
            return HTTPError(status: 400, code: "wrong_model_kind", message: message, field: "model")
        case .retryCooldown(_, let retryIn, _, _):
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: seconds(retryIn))
        case .loadFailed, .downloadFailed, .loadTimedOut, .loadCancelled, .engineNotRegistered:
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: 1)
        case .unregistered:
            return HTTPError(status: 404, code: "model_not_found", message: message, field: "model")
        case .noWorkers, .requestCancelledByUnload, .leasesStillHeld,
            .insufficientCapacity, .reloadRequired:
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: 1)
        case .queueFull:
            return HTTPError(status: 429, code: "queue_full", message: message, retryAfterSeconds: 1)
        case .corruptCatalog, .fileSystem:
            return HTTPError(status: 500, code: "catalog_error", message: message)
        case .unknownParameter(_, let key, _, _):
            return HTTPError(status: 400, code: "invalid_request", message: message, field: "parameters.\(key)")
        case .downloadInUse:
            return HTTPError(status: 409, code: "conflict", message: message)
        case .notRemote:
            return HTTPError(status: 400, code: "invalid_request", message: message, field: "model")
        case .checksumMismatch:
            return HTTPError(status: 503, code: "model_unavailable", message: message, retryAfterSeconds: 1)
        }
    }

    /// Whole seconds, rounded up, at least 1.
    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
