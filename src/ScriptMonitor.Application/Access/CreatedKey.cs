using ScriptMonitor.Access;

namespace ScriptMonitor.Application.Access;

/// <summary>A key just created: what the store keeps, and the key text, which is shown this once and kept nowhere.</summary>
/// <param name="Key">The key as the store keeps it.</param>
/// <param name="Secret">The whole key text (<c>smk_</c> and 43 characters), to give to whoever will present it.</param>
public sealed record CreatedKey(ApiKey Key, string Secret)
{
    /// <summary>Keeps the secret out of logs and debugger views: only the key's public fields are printed.</summary>
    public override string ToString() => $"CreatedKey {{ Key = {Key} }}";
}
