<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CheckReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_report.py" line="31"/>
        <source>%1 member(s), %2 candidates, %3 former</source>
        <translation>
            <numerusform>%1 member, %2 candidates, %3 former</numerusform>
            <numerusform>%1 members, %2 candidates, %3 former</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_report.py" line="34"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckSentences</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="72"/>
        <source>%1 member firm(s) (%2), %3.</source>
        <translation>
            <numerusform>%1 member firm (%2), %3.</numerusform>
            <numerusform>%1 member firms (%2), %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="75"/>
        <source>%1 more firm(s) needed</source>
        <translation>
            <numerusform>%1 more firm needed</numerusform>
            <numerusform>%1 more firms needed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="81"/>
        <source>the %1 candidate firm(s) would close the gap.</source>
        <translation>
            <numerusform>the %1 candidate firm would close the gap.</numerusform>
            <numerusform>the %1 candidate firms would close the gap.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="83"/>
        <source>the %1 candidate firm(s) would leave %2 short.</source>
        <translation>
            <numerusform>the %1 candidate firm would leave %2 short.</numerusform>
            <numerusform>the %1 candidate firms would leave %2 short.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="93"/>
        <source>Place the %1 member(s) on the map.</source>
        <translation>
            <numerusform>Place the %1 member on the map.</numerusform>
            <numerusform>Place the %1 members on the map.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="101"/>
        <source>%1 of %2 located member(s) (%3) lie within %4 km of the centre.</source>
        <translation>
            <numerusform>%1 of %2 located member (%3) lie within %4 km of the centre.</numerusform>
            <numerusform>%1 of %2 located members (%3) lie within %4 km of the centre.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="105"/>
        <source>%1 member(s) not on the map yet.</source>
        <translation>
            <numerusform>%1 member not on the map yet.</numerusform>
            <numerusform>%1 members not on the map yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="110"/>
        <source>%1 member(s) beyond %2 km (farthest: %3, %4 km): move the centre, widen the radius, or make them partner clusters or foreign partners.</source>
        <translation>
            <numerusform>%1 member beyond %2 km (farthest: %3, %4 km): move the centre, widen the radius, or make them partner clusters or foreign partners.</numerusform>
            <numerusform>%1 members beyond %2 km (farthest: %3, %4 km): move the centre, widen the radius, or make them partner clusters or foreign partners.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="160"/>
        <source>%1 firm(s) with a head count</source>
        <translation>
            <numerusform>%1 firm with a head count</numerusform>
            <numerusform>%1 firms with a head count</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="163"/>
        <source>%1 linked member(s)</source>
        <translation>
            <numerusform>%1 linked member</numerusform>
            <numerusform>%1 linked members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="206"/>
        <source>%1 NACE division(s)</source>
        <translation>
            <numerusform>%1 NACE division</numerusform>
            <numerusform>%1 NACE divisions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="207"/>
        <source>%1 related-industry division(s)</source>
        <translation>
            <numerusform>%1 related-industry division</numerusform>
            <numerusform>%1 related-industry divisions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="232"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="233"/>
        <source>%1 member(s)</source>
        <comment>among</comment>
        <translation>
            <numerusform>%1 member</numerusform>
            <numerusform>%1 members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="236"/>
        <source>%1 member(s)</source>
        <translation>
            <numerusform>%1 member</numerusform>
            <numerusform>%1 members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="250"/>
        <source>connect the %1 isolated member(s)</source>
        <translation>
            <numerusform>connect the %1 isolated member</numerusform>
            <numerusform>connect the %1 isolated members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="268"/>
        <source>%1 firm(s)</source>
        <translation>
            <numerusform>%1 firm</numerusform>
            <numerusform>%1 firms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="276"/>
        <source>sign supply contracts for %1 more of the %2 unlinked firm(s)</source>
        <translation>
            <numerusform>sign supply contracts for %1 more of the %2 unlinked firm</numerusform>
            <numerusform>sign supply contracts for %1 more of the %2 unlinked firms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckWords</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_words.py" line="111"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/import_dialog.py" line="152"/>
        <source>Importing… %n rows read</source>
        <translation>
            <numerusform>Importing… %n rows read</numerusform>
            <numerusform>Importing… %n rows read</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="45"/>
        <source>Would import %1 member(s) from %2</source>
        <translation>
            <numerusform>Would import %1 member from %2</numerusform>
            <numerusform>Would import %1 members from %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="47"/>
        <source>Imported %1 member(s) from %2</source>
        <translation>
            <numerusform>Imported %1 member from %2</numerusform>
            <numerusform>Imported %1 members from %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="52"/>
        <source>%1 row(s) skipped</source>
        <translation>
            <numerusform>%1 row skipped</numerusform>
            <numerusform>%1 rows skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="54"/>
        <source>%1 warning(s)</source>
        <translation>
            <numerusform>%1 warning</numerusform>
            <numerusform>%1 warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="54"/>
        <source>%n change(s) come in without conflict:</source>
        <translation>
            <numerusform>%n change come in without conflict:</numerusform>
            <numerusform>%n changes come in without conflict:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PassportWords</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="129"/>
        <source>%1 participant(s)</source>
        <translation>
            <numerusform>%1 participant</numerusform>
            <numerusform>%1 participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="130"/>
        <source>%1 candidate(s)</source>
        <translation>
            <numerusform>%1 candidate</numerusform>
            <numerusform>%1 candidates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="131"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="134"/>
        <source>… and %1 more</source>
        <translation>
            <numerusform>… and %1 more</numerusform>
            <numerusform>… and %1 more</numerusform>
        </translation>
    </message>
</context>
</TS>
