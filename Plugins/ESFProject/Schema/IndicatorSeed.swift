/// The 2014–2020 social fund's common indicators (Reg. 1304/2013 Annex I), as rows of
/// `esf.indicators`. Each criterion is data in the vocabulary of ``IndicatorCriterion``, so a
/// later set (ESF+ 2021–2027) is added as rows (`PUT /indicator-sets/{set}` or
/// `kooperator esf indicators load`), not as code.
enum IndicatorSeed {
    static let set2014 = "2014-2020"

    static let sql2014 = """
        INSERT INTO esf.indicators (indicator_set, code, kind, name, basis, criterion, special, position) VALUES
        ('2014-2020', 'CO01', 'output', 'Unemployed, including long-term unemployed', 'entry',
            '{"entryStatus": ["unemployed", "longTermUnemployed"]}', false, 1),
        ('2014-2020', 'CO02', 'output', 'Long-term unemployed', 'entry', '{"entryStatus": ["longTermUnemployed"]}', false, 2),
        ('2014-2020', 'CO03', 'output', 'Inactive', 'entry', '{"entryStatus": ["inactiveInEducation", "inactiveNotInEducation"]}', false, 3),
        ('2014-2020', 'CO04', 'output', 'Inactive, not in education or training', 'entry',
            '{"entryStatus": ["inactiveNotInEducation"]}', false, 4),
        ('2014-2020', 'CO05', 'output', 'Employed, including self-employed', 'entry', '{"entryStatus": ["employed"]}', false, 5),
        ('2014-2020', 'CO06', 'output', 'Below 25 years of age', 'entry', '{"ageBelow": 25}', false, 6),
        ('2014-2020', 'CO07', 'output', 'Above 54 years of age', 'entry', '{"ageAbove": 54}', false, 7),
        ('2014-2020', 'CO08', 'output', 'Above 54 years of age, unemployed or inactive', 'entry',
            '{"ageAbove": 54, "entryStatus": ["unemployed", "longTermUnemployed", "inactiveInEducation", "inactiveNotInEducation"]}',
            false, 8),
        ('2014-2020', 'CO09', 'output', 'With primary (ISCED 1) or lower secondary education (ISCED 2)', 'entry',
            '{"educationLevel": ["primaryOrLowerSecondary"]}', false, 9),
        ('2014-2020', 'CO10', 'output', 'With upper secondary (ISCED 3) or post-secondary education (ISCED 4)', 'entry',
            '{"educationLevel": ["upperSecondaryOrPostSecondary"]}', false, 10),
        ('2014-2020', 'CO11', 'output', 'With tertiary education (ISCED 5 to 8)', 'entry', '{"educationLevel": ["tertiary"]}', false, 11),
        ('2014-2020', 'CO15', 'output', 'Migrants, participants with a foreign background, minorities', 'entry',
            '{"attributes": ["migrantBackground"]}', true, 15),
        ('2014-2020', 'CO16', 'output', 'Participants with disabilities', 'entry', '{"attributes": ["disability"]}', true, 16),
        ('2014-2020', 'CO17', 'output', 'Other disadvantaged people', 'entry', '{"attributes": ["otherDisadvantaged"]}', true, 17),
        ('2014-2020', 'CO18', 'output', 'Homeless or affected by housing exclusion', 'entry', '{"attributes": ["homeless"]}', false, 18),
        ('2014-2020', 'CR01', 'result', 'Inactive participants engaged in job searching upon leaving', 'exit',
            '{"entryStatus": ["inactiveInEducation", "inactiveNotInEducation"], "exitResults": ["jobSearching"]}', false, 101),
        ('2014-2020', 'CR02', 'result', 'Participants in education or training upon leaving', 'exit', '{"exitResults": ["inEducation"]}',
            false, 102),
        ('2014-2020', 'CR03', 'result', 'Participants gaining a qualification upon leaving', 'exit', '{"exitResults": ["qualification"]}',
            false, 103),
        ('2014-2020', 'CR04', 'result', 'Participants in employment, including self-employment, upon leaving', 'exit',
            '{"exitResults": ["employed"]}', false, 104),
        ('2014-2020', 'CR05', 'result',
            'Disadvantaged participants engaged in job searching, education or training, gaining a qualification or in employment upon leaving',
            'exit', '{"anyAttribute": ["migrantBackground", "disability", "otherDisadvantaged", "homeless"], "exitResults": ["jobSearching", "inEducation", "qualification", "employed"]}',
            true, 105),
        ('2014-2020', 'CR06', 'result', 'Participants in employment, including self-employment, six months after leaving', 'exit',
            '{"sixMonthResults": ["employed", "selfEmployed"]}', false, 106),
        ('2014-2020', 'CR07', 'result', 'Participants with an improved labour market situation six months after leaving', 'exit',
            '{"sixMonthResults": ["improvedSituation"]}', false, 107),
        ('2014-2020', 'CR08', 'result', 'Participants above 54 years of age in employment six months after leaving', 'exit',
            '{"ageAbove": 54, "sixMonthResults": ["employed", "selfEmployed"]}', false, 108),
        ('2014-2020', 'CR09', 'result', 'Disadvantaged participants in employment six months after leaving', 'exit',
            '{"anyAttribute": ["migrantBackground", "disability", "otherDisadvantaged", "homeless"], "sixMonthResults": ["employed", "selfEmployed"]}',
            true, 109);
        """

    /// CO08 as rule 15 says it (corrected): over 54 and unemployed (long-term included) or
    /// inactive *not* in education or training. In force from the day the step runs; the first
    /// version stays for the periods submitted before it.
    static let sqlCorrectedCO08 = """
        INSERT INTO esf.indicators (indicator_set, code, kind, name, basis, criterion, special, position, valid_from)
        SELECT indicator_set, code, kind,
            'Above 54 years of age, unemployed (including long-term unemployed) or inactive not in education or training', basis,
            '{"ageAbove": 54, "entryStatus": ["unemployed", "longTermUnemployed", "inactiveNotInEducation"]}', special, position, current_date
        FROM esf.indicators WHERE indicator_set = '2014-2020' AND code = 'CO08';
        """
}
