import Hummingbird

extension Parameters {
    /// The one value of the query parameter `name`, nil when absent; a parameter given twice is a
    /// 400, as a key given twice in a body is: readers (proxies, logs, this router) disagree on
    /// which value counts.
    func single(_ name: String) throws -> String? {
        let values = getAll(name)
        guard values.count <= 1 else { throw APIError.badParameter(name: name, detail: "given more than once") }
        return values.first
    }
}
