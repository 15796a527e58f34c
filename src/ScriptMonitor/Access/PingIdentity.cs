using System.Security.Cryptography;
using System.Text;

namespace ScriptMonitor.Access;

/// <summary>
/// How a script is named in the URLs of peers' ping protocols (Healthchecks): a UUID of its own, made the first time
/// it is needed and never changed, and a slug derived from its name for URLs of the installation's ping key.
/// </summary>
/// <param name="ScriptName">The script's name.</param>
/// <param name="PingId">Its ping UUID; whoever knows it may record runs of the script.</param>
/// <param name="Slug">Its slug (<see cref="SlugOf"/>); two scripts may share one, and a slug URL then names neither.</param>
public sealed record PingIdentity(string ScriptName, Guid PingId, string Slug)
{
    /// <summary>The most characters a slug has, as Healthchecks allows.</summary>
    public const int MaxSlugLength = 100;

    /// <summary>
    /// The slug of a script name: lower case, every run of characters other than <c>a-z</c>, <c>0-9</c>, <c>-</c>
    /// and <c>_</c> replaced by one <c>-</c>, without a <c>-</c> at either end, at most <see cref="MaxSlugLength"/> characters.
    /// </summary>
    /// <param name="scriptName">The script's name.</param>
    public static string SlugOf(string scriptName)
    {
        ArgumentNullException.ThrowIfNull(scriptName);
        var slug = new StringBuilder(scriptName.Length);
        var dash = false;
        foreach (var c in scriptName.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
            {
                slug.Append(c);
                dash = false;
            }
            else if (!dash)
            {
                slug.Append('-');
                dash = true;
            }
        }

        var text = slug.ToString().Trim('-');
        return text.Length > MaxSlugLength ? text[..MaxSlugLength].TrimEnd('-') : text;
    }

    /// <summary>The fewest characters a ping key has: a shorter one could be guessed.</summary>
    public const int MinPingKeyLength = 16;

    /// <summary>The most characters a ping key has.</summary>
    public const int MaxPingKeyLength = 64;

    /// <summary>
    /// Checks a ping key that is set rather than made: <see cref="MinPingKeyLength"/> to <see cref="MaxPingKeyLength"/>
    /// characters of <c>a-z</c>, <c>A-Z</c>, <c>0-9</c>, <c>-</c> and <c>_</c> (what a Healthchecks slug URL carries).
    /// </summary>
    /// <param name="pingKey">The key.</param>
    /// <param name="path">The field's name in a refusal.</param>
    /// <returns>The key.</returns>
    /// <exception cref="Runs.ValidationException">The key breaks the rule; the error names <paramref name="path"/>.</exception>
    public static string CheckPingKey(string pingKey, string path)
    {
        ArgumentNullException.ThrowIfNull(pingKey);
        if (pingKey.Length is < MinPingKeyLength or > MaxPingKeyLength
            || !pingKey.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_'))
        {
            throw new Runs.ValidationException([new Runs.FieldError(
                path,
                Runs.FieldRules.PingKey,
                $"{path} must be {MinPingKeyLength} to {MaxPingKeyLength} characters of a-z, A-Z, 0-9, '-' and '_'.")]);
        }

        return pingKey;
    }

    /// <summary>Checks a ping UUID that is set rather than made: any UUID but the nil one.</summary>
    /// <param name="pingId">The UUID.</param>
    /// <param name="path">The field's name in a refusal.</param>
    /// <exception cref="Runs.ValidationException">It is the nil UUID; the error names <paramref name="path"/>.</exception>
    public static void CheckPingId(Guid pingId, string path)
    {
        if (pingId == Guid.Empty)
        {
            throw new Runs.ValidationException([new Runs.FieldError(path, Runs.FieldRules.PingId, $"{path} must not be the nil UUID.")]);
        }
    }

    /// <summary>A new installation ping key: 22 characters of <c>a-z</c> and <c>0-9</c>, as Healthchecks makes them.</summary>
    public static string NewPingKey()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, 22);
    }
}

/// <summary>
/// The ping identities of scripts and the installation's ping key, kept by stores that serve peers' ping protocols.
/// </summary>
public interface IPingIdentityStore
{
    /// <summary>The script's ping identity, made (with a new random UUID) when it has none yet.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PingIdentity> EnsurePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default);

    /// <summary>The ping identity with this UUID; null when none has it.</summary>
    /// <param name="pingId">The UUID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PingIdentity?> FindPingIdentityAsync(Guid pingId, CancellationToken cancellationToken = default);

    /// <summary>Every ping identity made so far with this slug, by script name.</summary>
    /// <param name="slug">The slug.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PingIdentity>> FindPingIdentitiesBySlugAsync(string slug, CancellationToken cancellationToken = default);

    /// <summary>Every ping identity made so far, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PingIdentity>> ListPingIdentitiesAsync(CancellationToken cancellationToken = default);

    /// <summary>The installation's ping key for slug URLs, made (<see cref="PingIdentity.NewPingKey"/>) when there is none yet.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<string> EnsurePingKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a script this ping UUID (and thereby its push token), in place of the one it had: to keep a check's UUID
    /// when it moves here, so that its ping URLs keep working.
    /// </summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="pingId">The UUID; not the nil one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The script's identity now.</returns>
    /// <exception cref="Runs.ValidationException">
    /// The UUID is nil or another script's (<c>pingId</c>, rule <see cref="Runs.FieldRules.PingId"/>); nothing is written.
    /// </exception>
    Task<PingIdentity> SetPingIdentityAsync(string scriptName, Guid pingId, CancellationToken cancellationToken = default);

    /// <summary>Removes a script's ping identity: its UUID names no script any more; a new one is made on next need.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it had one.</returns>
    Task<bool> RemovePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default);

    /// <summary>Sets the installation's ping key, in place of the one it had (slug URLs with the old key stop working).</summary>
    /// <param name="pingKey">The key (<see cref="PingIdentity.CheckPingKey"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The key breaks its rule (<c>pingKey</c>); nothing is written.</exception>
    Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken = default);
}
