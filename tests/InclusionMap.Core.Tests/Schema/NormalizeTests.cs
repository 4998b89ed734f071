using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Tests.Schema;

public sealed class NormalizeTests
{
    [Theory]
    [InlineData("04 50 56 87 49", "01", "+33450568749")]
    [InlineData("04.50.56.87.49", "01", "+33450568749")]
    [InlineData("+33 (0)4 50 56 87 49", "01", "+33450568749")]
    [InlineData("0033 4 50 56 87 49", "01", "+33450568749")]
    [InlineData("+33545932222", "16", "+33545932222")]
    [InlineData("0590 12 34 56", "971", "+590590123456")]
    [InlineData("0690 12 34 56", "971", "+590690123456")]
    [InlineData("0262 12 34 56", "974", "+262262123456")]
    [InlineData("0269 61 00 00", "976", "+262269610000")]
    [InlineData("44 57 28", "988", "+687445728")]
    [InlineData("not a phone", "23", "not a phone")]
    public void French_phone_numbers_become_international_and_others_are_left_for_the_validator(
        string input, string departement, string expected)
    {
        Assert.Equal(expected, Normalize.Phone(input, departement, out var dropped));
        Assert.Null(dropped);
    }

    [Fact]
    public void Only_the_first_of_several_numbers_is_kept_and_the_others_are_returned()
    {
        Assert.Equal("+33475914007", Normalize.Phone("04.75.91.40.07 ou 06.38.23.07.34", "26", out var dropped));
        Assert.Equal("06.38.23.07.34", dropped);
    }

    [Theory]
    [InlineData("1100", "01283", "01100")] // numeric column lost the zero; the INSEE code confirms département 01
    [InlineData("2300", "23096", "2300")]  // truncated 23000: not padded, the validator refuses it
    [InlineData("1100", null, "1100")]     // nothing confirms it: not padded
    [InlineData(" 16 100 ", null, "16100")]
    public void Postcodes_get_their_leading_zero_back_only_when_the_insee_code_confirms_it(string input, string? insee, string expected) =>
        Assert.Equal(expected, Normalize.PostalCode(input, insee));

    [Fact]
    public void Text_collapses_whitespace_of_every_kind()
    {
        Assert.Equal("57 RUE RENE NICOD 01100 OYONNAX", Normalize.Text(" 57 RUE\u00A0RENE  NICOD\n01100 OYONNAX\t"));
        Assert.Null(Normalize.Text(" \n "));
    }

    [Fact]
    public void Loose_vocabulary_lookup_tolerates_case_accents_and_quotes_but_not_other_words()
    {
        Assert.True(Vocabulary<Service>.TryParseLoose("aide aux demarches administratives", out var s));
        Assert.Equal(Service.AideAuxDemarchesAdministratives, s);
        Assert.True(Vocabulary<FormationLabel>.TryParseLoose("Formé à \"Mon Espace Santé\"", out var f));
        Assert.Equal(FormationLabel.FormeAMonEspaceSante, f);
        Assert.False(Vocabulary<Service>.TryParseLoose("Aide aux démarches", out _));
    }

    [Theory]
    [InlineData("Guéret", "gueret")]
    [InlineData("  SAINT-ÉTIENNE   du  Rouvray ", "saint-etienne du rouvray")]
    [InlineData("Œuvre Cœur", "oeuvre coeur")]
    public void Search_folding(string input, string expected) => Assert.Equal(expected, TextSearch.Fold(input));
}
