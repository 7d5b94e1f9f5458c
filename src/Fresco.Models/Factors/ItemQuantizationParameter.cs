using Fresco.Core.Models;

namespace Fresco.Models.Factors;

/// <summary>The <c>quantize</c> option every factor model's options share (none | int8). Thread-safe (static).</summary>
public static class ItemQuantizationParameter
{
    public const string Name = "quantize";

    public static IReadOnlyList<string> Choices { get; } = ["none", "int8"];

    /// <summary>The option's text for <paramref name="quantization"/>, as <c>--set quantize=</c> takes it.</summary>
    public static string Format(ItemQuantization quantization) => quantization == ItemQuantization.Int8 ? "int8" : "none";

    public static Parameter Create(Func<ItemQuantization> get, Action<ItemQuantization> set) =>
        Parameter.Choice(
            Name,
            "none (exact fp32 scoring) or int8 (item table quantized per row, scored with int8 kernels)",
            () => Format(get()),
            text => set(text == "int8" ? ItemQuantization.Int8 : ItemQuantization.None),
            Choices);
}
