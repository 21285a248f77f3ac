// MARK: - Chat completions

extension RegistryRouter {
    /// `/v1/chat/completions` needs the llama engine's chat API (issue 9); until it lands the route is absent.
    static let openAIChatRoutes: [Route] = []
}
