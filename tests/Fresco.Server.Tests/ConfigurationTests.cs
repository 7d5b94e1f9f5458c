using Fresco.Core.Data;
using Fresco.Engine;
using Fresco.Server.Configuration;

namespace Fresco.Server.Tests;

public sealed class ConfigurationTests
{
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "fresco.sample.json");

    private static FrescoSettings Load(params (string Key, string? Value)[] overrides) =>
        FrescoConfiguration.Bind(FrescoConfiguration.Build(null, overrides.ToDictionary(o => o.Key, o => o.Value),
            useEnvironment: false, workingDirectory: AppContext.BaseDirectory));

    private static string Error(params (string Key, string? Value)[] overrides) =>
        Assert.Throws<ConfigurationException>(() => Load(overrides)).Message;

    [Fact]
    public void DefaultsFollowTheIssue()
    {
        var settings = Load();
        Assert.Equal(8088, settings.Server.Port);
        Assert.Equal("127.0.0.1", settings.Server.Host);
        Assert.Equal("./fresco-data", settings.Server.DataDir);
        Assert.Null(settings.Server.ApiKey);
        var weights = settings.Engine.Live.Weights;
        Assert.Equal(1f, weights.WeightOf("view", 0));
        Assert.Equal(1f, weights.WeightOf("click", 0));
        Assert.Equal(2f, weights.WeightOf("like", 0));
        Assert.Equal(3f, weights.WeightOf("cart", 0));
        Assert.Equal(5f, weights.WeightOf("purchase", 0));
        Assert.Equal(4f, weights.WeightOf("rating", 4));
        Assert.True(weights.WeightOf("dislike", 0) < 0);
        Assert.Equal(1f, weights.WeightOf("share", 0));
    }

    [Fact]
    public void TheSampleFileLoadsAndStatesTheDefaults()
    {
        var text = File.ReadAllText(s_sample);
        Assert.Contains("//", text);
        var settings = FrescoConfiguration.Bind(FrescoConfiguration.Build(s_sample, useEnvironment: false, workingDirectory: AppContext.BaseDirectory));
        var defaults = new FrescoEngineOptions();
        Assert.Equal(new FrescoServerOptions().Port, settings.Server.Port);
        Assert.Equal(new FrescoServerOptions().MaxRequestBodyBytes, settings.Server.MaxRequestBodyBytes);
        Assert.Equal(new FrescoServerOptions().MaxBatch, settings.Server.MaxBatch);
        Assert.Equal(new FrescoServerOptions().MaxConcurrentRequests, settings.Server.MaxConcurrentRequests);
        Assert.Equal(new FrescoServerOptions().MaxQueuedRequests, settings.Server.MaxQueuedRequests);
        Assert.Equal(new FrescoServerOptions().QueueDelayTarget, settings.Server.QueueDelayTarget);
        Assert.Equal(new FrescoServerOptions().QueueDelayInterval, settings.Server.QueueDelayInterval);
        Assert.Equal(new FrescoServerOptions().RateLimitPerSecond, settings.Server.RateLimitPerSecond);
        Assert.Empty(settings.Server.ReadApiKeys);
        Assert.Equal(defaults.Recommend.MaxN, settings.Engine.Recommend.MaxN);
        Assert.Equal(defaults.Recommend.CacheUsers, settings.Engine.Recommend.CacheUsers);
        Assert.Equal(defaults.Training.Interval, settings.Engine.Training.Interval);
        Assert.Equal(defaults.Training.GateMargin, settings.Engine.Training.GateMargin);
        Assert.Equal(defaults.Training.KeepVersions, settings.Engine.Training.KeepVersions);
        Assert.Equal(defaults.Live.ConsumedEventTypes, settings.Engine.Live.ConsumedEventTypes);
        Assert.Equal(defaults.Live.MaxHistoryPerUser, settings.Engine.Live.MaxHistoryPerUser);
        Assert.Equal(defaults.Live.FutureTolerance, settings.Engine.Live.FutureTolerance);
        Assert.Equal(defaults.Live.UserTtl, settings.Engine.Live.UserTtl);
        Assert.Null(settings.Store.Postgres);
        Assert.Equal(defaults.Retention.FeedbackTtl, settings.Engine.Retention.FeedbackTtl);
        Assert.Equal(defaults.Retention.ItemTtl, settings.Engine.Retention.ItemTtl);
        Assert.Equal(defaults.Retention.SweepInterval, settings.Engine.Retention.SweepInterval);
        Assert.Equal(defaults.Retention.SweepBatch, settings.Engine.Retention.SweepBatch);
        Assert.Equal(defaults.Retention.ImpressionTtl, settings.Engine.Retention.ImpressionTtl);
        Assert.Equal(defaults.Attribution.Recheck, settings.Engine.Attribution.Recheck);
        Assert.Equal(new StoreSettings().ChangeRetention, settings.Store.ChangeRetention);
        Assert.Equal(EventWeights.ECommerce.Weights.OrderBy(w => w.Key), settings.Engine.Live.Weights.Weights.OrderBy(w => w.Key));
        Assert.Equal(defaults.Impressions.QueueCapacity, settings.Engine.Impressions.QueueCapacity);
        Assert.Equal(defaults.Impressions.ShownWindow, settings.Engine.Impressions.ShownWindow);
        Assert.Null(settings.Engine.Impressions.ReadFeedbackType);
        Assert.Equal(defaults.Attribution.Window, settings.Engine.Attribution.Window);
        foreach (var type in new[] { "click", "cart", "add_to_cart", "purchase", "buy", "view" })
        {
            Assert.Equal(defaults.Attribution.KindOf(type), settings.Engine.Attribution.KindOf(type));
        }
    }

    [Fact]
    public void StoreTtlsReachTheEngineAndAreValidated()
    {
        var settings = Load(("Store:FeedbackTtl", "30.00:00:00"), ("Store:ItemTtl", "07:00:00"), ("Store:ExpiryBatch", "250"));
        Assert.Equal(TimeSpan.FromDays(30), settings.Engine.Retention.FeedbackTtl);
        Assert.Equal(TimeSpan.FromHours(7), settings.Engine.Retention.ItemTtl);
        Assert.Equal(250, settings.Engine.Retention.SweepBatch);
        Assert.Contains("Store:FeedbackTtl", Error(("Store:FeedbackTtl", "00:00:30")), StringComparison.Ordinal);
        Assert.Contains("Store:ItemTtl", Error(("Store:ItemTtl", "00:00:59")), StringComparison.Ordinal);
        Assert.Contains("Store:ExpiryBatch", Error(("Store:ExpiryBatch", "0")), StringComparison.Ordinal);
        Assert.Equal(16, Load(("Store:SqliteCacheMiB", "16")).Store.SqliteCacheMiB);
        Assert.Contains("Store:SqliteCacheMiB", Error(("Store:SqliteCacheMiB", "0")), StringComparison.Ordinal);
        Assert.Contains("Store:ExpiryInterval", Error(("Store:ExpiryInterval", "00:00:00.5")), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(90), Load(("Store:ImpressionTtl", "90.00:00:00")).Engine.Retention.ImpressionTtl);
        Assert.Contains("Store:ImpressionTtl", Error(("Store:ImpressionTtl", "00:30:00")), StringComparison.Ordinal);
        Assert.Contains("Attribution:Window", Error(("Store:ImpressionTtl", "12:00:00")), StringComparison.Ordinal); // below the 24 h window
        Assert.Contains("Attribution:Recheck", Error(("Attribution:Recheck", "02:00:00")), StringComparison.Ordinal);
    }

    [Fact]
    public void LaterSourcesWinAndWeightsMergeOverTheDefaults()
    {
        var settings = Load(("Server:Port", "9001"), ("Live:Weights:share", "4"), ("Live:Weights:rating", "0.5*value"),
            ("Live:ConsumedEventTypes:0", "cart"), ("Training:Interval", "00:10:00"), ("Training:Model", "als"),
            ("Training:ModelOptions:0", "factors=8"));
        Assert.Equal(9001, settings.Server.Port);
        Assert.Equal(4f, settings.Engine.Live.Weights.WeightOf("share", 0));
        Assert.Equal(2f, settings.Engine.Live.Weights.WeightOf("rating", 4));
        Assert.Equal(5f, settings.Engine.Live.Weights.WeightOf("purchase", 0));
        Assert.Equal(["cart"], settings.Engine.Live.ConsumedEventTypes);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Engine.Training.Interval);
    }

    [Fact]
    public void AutoIsTheDefaultModelAndTakesOnlyOptionsEveryKindHas()
    {
        Assert.Equal("auto", Load().Engine.Training.Model);
        Assert.Equal("auto", Load(("Training:ModelOptions:0", "threads=2")).Engine.Training.Model);
        Assert.Contains("apply to every kind searched", Error(("Training:ModelOptions:0", "factors=8")), StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentVariablesUseTheFrescoPrefix()
    {
        Environment.SetEnvironmentVariable("Fresco__Recommend__MaxN", "77");
        try
        {
            var settings = FrescoConfiguration.Bind(FrescoConfiguration.Build(workingDirectory: AppContext.BaseDirectory));
            Assert.Equal(77, settings.Engine.Recommend.MaxN);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Fresco__Recommend__MaxN", null);
        }
    }

    [Fact]
    public void KeysAreCheckedTogether()
    {
        Assert.Contains("not both", Error(("Server:ApiKey", "a"), ("Server:ApiKeyFile", "f")));
        Assert.Contains("also the admin key", Error(("Server:ApiKey", "a"), ("Server:ReadApiKeys:0", "a")));
        var empty = Path.GetTempFileName();
        try
        {
            Assert.Contains("is empty", Error(("Server:ApiKeyFile", empty)));
            File.WriteAllText(empty, "  admin-from-file  \nignored\n");
            var settings = Load(("Server:ApiKeyFile", empty), ("Server:ReadApiKeys:0", "shop"), ("Server:ReadApiKeys:1", ""));
            Assert.Equal("admin-from-file", settings.Server.ApiKey);
            Assert.Equal(["shop"], settings.Server.ReadApiKeys);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Theory]
    [InlineData("Server:Port", "70000", "Server:Port must be within 0..65535")]
    [InlineData("Server:Port", "eighty", "Server:Port")]
    [InlineData("Server:Prot", "80", "unknown setting 'Server:Prot'; known: ApiKey, ApiKeyFile, CertificateKeyPath")]
    [InlineData("Server:RateLimitPerSecond", "-1", "Server:RateLimitPerSecond must not be negative")]
    [InlineData("Server:MaxConcurrentRequests", "-1", "Server:MaxConcurrentRequests must not be negative")]
    [InlineData("Server:MaxQueuedRequests", "-1", "Server:MaxQueuedRequests must not be negative")]
    [InlineData("Server:QueueDelayTarget", "-00:00:01", "Server:QueueDelayTarget must be within")]
    [InlineData("Server:QueueDelayInterval", "00:00:00", "Server:QueueDelayInterval must be within")]
    [InlineData("Server:ReadApiKeys:0", "shop", "Server:ReadApiKeys need an admin key")]
    [InlineData("Server:ApiKeyFile", "/no/such/key-file", "Server:ApiKeyFile '/no/such/key-file' cannot be read")]
    [InlineData("Server:CertificateKeyPath", "key.pem", "Server:CertificateKeyPath needs Server:CertificatePath")]
    [InlineData("Recommend:MaxNN", "5", "unknown setting 'Recommend:MaxNN'; known: AnnThreshold, CacheTtl")]
    [InlineData("Server:MaxBatch", "0", "Server:MaxBatch must be at least 1")]
    [InlineData("Live:Weights:view", "lots", "Live:Weights:view must be a number, 'value' or 'F*value'")]
    [InlineData("Live:TrendingHalfLifeHours", "0", "Live:TrendingHalfLifeHours must be a positive number")]
    [InlineData("Live:MaxHistory", "5", "unknown setting 'Live:MaxHistory'")]
    [InlineData("Live:FutureTolerance", "soon", "Live:FutureTolerance must be a time span such as 00:05:00, not 'soon'")]
    [InlineData("Live:FutureTolerance", "-00:01:00", "Live:FutureTolerance must not be negative")]
    [InlineData("Live:UserTtl", "00:00:00.5", "Live:UserTtl must be at least 1 second")]
    [InlineData("Live:UserTtl", "a while", "Live:UserTtl must be a time span")]
    [InlineData("Recommend:MaxN", "0", "Recommend:MaxN must be at least 1")]
    [InlineData("Training:Model", "nope", "Training:Model 'nope' is not a known model")]
    [InlineData("Training:HoldoutFraction", "1.5", "Training:HoldoutFraction")]
    [InlineData("Training:ModelOptions:0", "bogus=1", "Training:ModelOptions")]
    [InlineData("Logging:Console:FormatterName", "xml", "Logging:Console:FormatterName must be json, simple or systemd")]
    public void InvalidValuesGiveOneLineNamingTheKey(string key, string value, string message)
    {
        var error = Error((key, value));
        Assert.Contains(message, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void AMissingOrMalformedConfigFileIsAnError()
    {
        Assert.Contains("was not found", Assert.Throws<ConfigurationException>(() => FrescoConfiguration.Build("no-such.json")).Message);
        var bad = Path.Combine(Path.GetTempPath(), $"fresco-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, "{ \"Server\": { \"Port\": 1 ");
        try
        {
            Assert.Contains("not valid JSON", Assert.Throws<ConfigurationException>(() => FrescoConfiguration.Build(bad)).Message);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
