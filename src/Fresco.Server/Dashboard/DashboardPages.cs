using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace Fresco.Server.Dashboard;

/// <summary>
/// Serves the operator's dashboard: its static assets (embedded in this assembly from <c>Dashboard/wwwroot</c>, so
/// nothing else is installed) under <c>/dashboard/</c>, and its page for every other path there (the page routes
/// itself: <c>/dashboard/users/{id}</c>, <c>/dashboard/items/{id}</c>, ...). The assets hold no data and need no key;
/// the page reads <c>/api</c> with the key the operator signs in with. <c>/dashboard/settings.json</c> tells the page
/// whether to ask for a key first. Thread-safe (immutable).
/// </summary>
internal static class DashboardPages
{
    public const string Root = "/dashboard";

    // The page runs only its own scripts; uPlot sizes its elements through inline style attributes.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    private static readonly IFileProvider s_files = new ManifestEmbeddedFileProvider(typeof(DashboardPages).Assembly, "Dashboard/wwwroot");

    /// <summary>The embedded assets, for tests that check their size.</summary>
    public static IFileProvider Files => s_files;

    /// <summary>Static assets; placed before routing so that the page's catch-all route does not shadow them.</summary>
    public static void UseDashboardAssets(this WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = s_files,
        RequestPath = Root,
        OnPrepareResponse = c => Secure(c.Context.Response.Headers),
    });

    public static void MapDashboardPages(this WebApplication app)
    {
        // Routing matches "/dashboard/" here too: only the form without the slash is redirected.
        app.MapGet(Root, (HttpContext c) => c.Request.Path.Value!.EndsWith('/') ? Page(null, c) : TypedResults.Redirect(Root + "/"))
            .ExcludeFromDescription();
        app.MapGet(Root + "/settings.json", (FrescoSettings s) =>
                TypedResults.Json(new DashboardSettings(s.Server.ApiKey is not null), FrescoJson.Default.DashboardSettings))
            .ExcludeFromDescription();
        app.MapGet(Root + "/{**path}", Page).ExcludeFromDescription();
    }

    /// <summary>Every answer under /dashboard: revalidated on each load (a new server version shows at once), its own scripts only.</summary>
    private static void Secure(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
    }

    private static IResult Page(string? path, HttpContext context)
    {
        if (Path.HasExtension(path))
        {
            return Http.Problems.NotFound($"no dashboard asset '{path}'.");
        }
        Secure(context.Response.Headers);
        return TypedResults.Stream(s_files.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8");
    }
}
