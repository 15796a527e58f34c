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
}
