/// What a gpnav server lets its clients do to the store.
public enum ServerAccess: Sendable, Equatable {
    /// `gpnav serve`: every operation of the API, and the reaper that fails abandoned trials.
    case readWrite
    /// `gpnav dashboard`: the dashboard and the API's read operations only; nothing is written,
    /// not even by the server itself (no reaper), so it may run on a store opened for reading.
    case readOnly
}
