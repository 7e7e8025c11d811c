// Written by Tools/generate-api-code; do not edit. The FNV-1a 64-bit digest of openapi.json's bytes
// followed by openapi-generator-config.yaml's, from which the other files here were generated.
enum GeneratedAPIDigest {
    static let value: UInt64 = 0x5dff00b58869fb3c
}
