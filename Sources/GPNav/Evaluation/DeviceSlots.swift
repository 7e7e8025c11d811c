/// Which GPUs each evaluation slot's training command sees: `CUDA_VISIBLE_DEVICES` per slot.
///
/// A process that trains `slots` trials at once (`gpnav search --parallel N`, `gpnav worker
/// --slots N`) numbers them 0 to N - 1. Given G devices:
/// - G >= N: the devices are split into N equal runs in the order given, slot i taking the i-th
///   (4 devices, 2 slots: "0,1" and "2,3"), so that a slot may train one trial on several GPUs
///   (torchrun); G must then be a multiple of N, or a device would sit idle or be counted twice;
/// - G < N: slot i takes device i mod G, so several trials share a device.
public struct DeviceSlots: Sendable, Equatable {
    /// The device indices, in the order given.
    public let devices: [Int]
    /// Evaluation slots.
    public let slots: Int

    /// - Throws: ``DeviceSlotsError`` for no devices, a negative or repeated index, fewer than
    ///   one slot, or devices that do not split evenly among the slots.
    public init(devices: [Int], slots: Int) throws(DeviceSlotsError) {
        guard !devices.isEmpty else { throw .noDevices }
        if let negative = devices.first(where: { $0 < 0 }) { throw .negativeIndex(negative) }
        var seen: Set<Int> = []
        for device in devices where !seen.insert(device).inserted { throw .repeatedIndex(device) }
        guard slots >= 1 else { throw .noSlots }
        guard devices.count < slots || devices.count % slots == 0 else {
            throw .uneven(devices: devices.count, slots: slots)
        }
        self.devices = devices
        self.slots = slots
    }

    /// Devices from a comma-separated list of indices such as "0,1,2,3".
    /// - Throws: ``DeviceSlotsError`` as ``init(devices:slots:)``, and for an entry that is not an index.
    public init(parsing list: String, slots: Int) throws(DeviceSlotsError) {
        var devices: [Int] = []
        for entry in list.split(separator: ",", omittingEmptySubsequences: false) {
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, text.allSatisfy(\.isASCII), let index = Int(text) else { throw .notAnIndex(String(entry)) }
            devices.append(index)
        }
        try self.init(devices: devices, slots: slots)
    }

    /// The devices of `slot` (taken modulo ``slots``), as `CUDA_VISIBLE_DEVICES` lists them.
    public func visibleDevices(slot: Int) -> String {
        let slot = ((slot % slots) + slots) % slots
        guard devices.count >= slots else { return String(devices[slot % devices.count]) }
        let run = devices.count / slots
        return devices[(slot * run)..<((slot + 1) * run)].map(String.init).joined(separator: ",")
    }
}

/// Why a device list cannot be given to the slots.
public enum DeviceSlotsError: Error, Sendable, Equatable, CustomStringConvertible {
    case noDevices
    case notAnIndex(String)
    case negativeIndex(Int)
    case repeatedIndex(Int)
    case noSlots
    case uneven(devices: Int, slots: Int)

    public var description: String {
        switch self {
        case .noDevices: "no GPU index given"
        case .notAnIndex(let text): "'\(text)' is not a GPU index (a whole number such as 0)"
        case .negativeIndex(let index): "GPU index \(index) is negative"
        case .repeatedIndex(let index): "GPU \(index) is listed twice"
        case .noSlots: "there must be at least one slot"
        case .uneven(let devices, let slots):
            "\(devices) GPUs do not split evenly among \(slots) slots (give a multiple of \(slots), or fewer GPUs than slots to share them)"
        }
    }
}
