using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task EveryApiRouteIsDocumentedWithASummary()
    {
        await using var app = await TestApp.StartAsync();
        var document = await app.Json(app.Get("/openapi/v1.json"));
        var paths = document.GetProperty("paths");

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (Path: e.RoutePattern.RawText!, Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods))
            .ToList();
        Assert.Equal(57, routes.Count);
        foreach (var (path, methods) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var operations), $"{path} is missing from the OpenAPI document");
            foreach (var method in methods)
            {
                var operation = operations.GetProperty(method.ToLowerInvariant());
                Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            }
        }
        Assert.True(paths.TryGetProperty("/api/recommend/{user}/{category}", out _));
        Assert.Equal(JsonValueKind.Object, paths.GetProperty("/api/models/train").GetProperty("post").ValueKind);
    }

    [Fact]
    public async Task TheApiReferencePageIsServed()
    {
        await using var app = await TestApp.StartAsync();
        using var redirect = await app.Get("/api-reference");
        Assert.True(302 == (int)redirect.StatusCode, redirect.Headers.Location?.ToString());
        using var response = await app.Get(redirect.Headers.Location!.ToString());
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("Fresco API", html);
        Assert.Contains("openapi/v1.json", html);
        using var script = await app.Get("/api-reference/scalar.js");
        Assert.Equal(200, (int)script.StatusCode);
    }
}
