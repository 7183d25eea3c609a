<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AssessmentPanel</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="377"/>
        <source>%1 warning(s)</source>
        <comment>summary</comment>
        <translation>
            <numerusform>%1 warning</numerusform>
            <numerusform>%1 warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckCard</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/panel.py" line="125"/>
        <source>Click to show the %1 member(s) this check is about</source>
        <translation>
            <numerusform>Click to show the %1 member this check is about</numerusform>
            <numerusform>Click to show the %1 members this check is about</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckExplanation</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="29"/>
        <source>Variety: %1 OKVED division(s) among them.</source>
        <translation>
            <numerusform>Variety: %1 OKVED division among them.</numerusform>
            <numerusform>Variety: %1 OKVED divisions among them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="135"/>
        <source>Division %1: %2 firm(s), %3 of firms, %4 of employment.</source>
        <translation>
            <numerusform>Division %1: %2 firm, %3 of firms, %4 of employment.</numerusform>
            <numerusform>Division %1: %2 firms, %3 of firms, %4 of employment.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="162"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_explain.py" line="164"/>
        <source>%1: %2, %3 firm(s) with such a tie — %4</source>
        <translation>
            <numerusform>%1: %2, %3 firm with such a tie — %4</numerusform>
            <numerusform>%1: %2, %3 firms with such a tie — %4</numerusform>
        </translation>
    </message>
</context>
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
        <location filename="../../cluster_desk/text/checks.py" line="67"/>
        <source>%1 firm(s) count (core %2, related %3, in %4 division(s)), %5.</source>
        <translation>
            <numerusform>%1 firm count (core %2, related %3, in %4 division), %5.</numerusform>
            <numerusform>%1 firms count (core %2, related %3, in %4 divisions), %5.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="72"/>
        <source>%1 firm(s) with no industry set</source>
        <translation>
            <numerusform>%1 firm with no industry set</numerusform>
            <numerusform>%1 firms with no industry set</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="75"/>
        <source>%1 firm(s) beyond %2 km</source>
        <translation>
            <numerusform>%1 firm beyond %2 km</numerusform>
            <numerusform>%1 firms beyond %2 km</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="78"/>
        <source>%1 firm(s) not on the map</source>
        <translation>
            <numerusform>%1 firm not on the map</numerusform>
            <numerusform>%1 firms not on the map</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="83"/>
        <source>%1 more firm(s) needed</source>
        <translation>
            <numerusform>%1 more firm needed</numerusform>
            <numerusform>%1 more firms needed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="88"/>
        <source>the %1 candidate(s) that would count close the gap (%2).</source>
        <translation>
            <numerusform>the %1 candidate that would count closes the gap (%2).</numerusform>
            <numerusform>the %1 candidates that would count close the gap (%2).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="92"/>
        <source>the %1 candidate(s) that would count (%2) leave %3 short.</source>
        <translation>
            <numerusform>the %1 candidate that would count (%2) leave %3 short.</numerusform>
            <numerusform>the %1 candidates that would count (%2) leave %3 short.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="106"/>
        <source>Place the %1 participant(s) on the map.</source>
        <translation>
            <numerusform>Place the %1 participant on the map.</numerusform>
            <numerusform>Place the %1 participants on the map.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="114"/>
        <source>%1 of %2 located participant(s) (%3) lie within %4 km of the centre.</source>
        <translation>
            <numerusform>%1 of %2 located participant (%3) lie within %4 km of the centre.</numerusform>
            <numerusform>%1 of %2 located participants (%3) lie within %4 km of the centre.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="122"/>
        <source>%1 participant(s) not on the map yet.</source>
        <translation>
            <numerusform>%1 participant not on the map yet.</numerusform>
            <numerusform>%1 participants not on the map yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="127"/>
        <source>%1 participant(s) beyond %2 km (farthest: %3, %4 km): move the centre, or record them as partner clusters or foreign partners if that is what they are.</source>
        <translation>
            <numerusform>%1 participant beyond %2 km (farthest: %3, %4 km): move the centre, or record them as partner clusters or foreign partners if that is what they are.</numerusform>
            <numerusform>%1 participants beyond %2 km (farthest: %3, %4 km): move the centre, or record them as partner clusters or foreign partners if that is what they are.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="237"/>
        <source>(c) %1 of %2 selling SME(s) sell more than half to one participant</source>
        <translation>
            <numerusform>(c) %1 of %2 selling SME sells more than half to one participant</numerusform>
            <numerusform>(c) %1 of %2 selling SMEs sell more than half to one participant</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="277"/>
        <source>%1 OKVED division(s)</source>
        <translation>
            <numerusform>%1 OKVED division</numerusform>
            <numerusform>%1 OKVED divisions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="313"/>
        <source>%1 participant(s)</source>
        <comment>among</comment>
        <translation>
            <numerusform>%1 participant</numerusform>
            <numerusform>%1 participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="317"/>
        <source>%1 participant(s)</source>
        <translation>
            <numerusform>%1 participant</numerusform>
            <numerusform>%1 participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="331"/>
        <source>connect the %1 isolated participant(s)</source>
        <translation>
            <numerusform>connect the %1 isolated participant</numerusform>
            <numerusform>connect the %1 isolated participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="359"/>
        <source>Partial: %1 firm(s) without output; contracts without volume: %2.</source>
        <translation>
            <numerusform>Partial: %1 firm without output; contracts without volume: %2.</numerusform>
            <numerusform>Partial: %1 firms without output; contracts without volume: %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="373"/>
        <source>%1 participant(s) without a qualifying contract.</source>
        <translation>
            <numerusform>%1 participant without a qualifying contract.</numerusform>
            <numerusform>%1 participants without a qualifying contract.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="378"/>
        <source>sign qualifying contracts with %1 participant(s) (%2)</source>
        <translation>
            <numerusform>sign qualifying contracts with %1 participant (%2)</numerusform>
            <numerusform>sign qualifying contracts with %1 participants (%2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/checks.py" line="312"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckWords</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_words.py" line="268"/>
        <source>%1 firm(s)</source>
        <translation>
            <numerusform>%1 firm</numerusform>
            <numerusform>%1 firms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/check_words.py" line="271"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommandLineText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="45"/>
        <source>... and %1 more problem(s)</source>
        <translation>
            <numerusform>... and %1 more problem</numerusform>
            <numerusform>... and %1 more problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="55"/>
        <source>Exported %1 member(s) to %2.</source>
        <translation>
            <numerusform>Exported %1 member to %2.</numerusform>
            <numerusform>Exported %1 members to %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="58"/>
        <source>Exported %1 link(s) to %2.</source>
        <translation>
            <numerusform>Exported %1 link to %2.</numerusform>
            <numerusform>Exported %1 links to %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="68"/>
        <source>%1: %2 conflict(s); nothing was merged. Both sides changed:</source>
        <translation>
            <numerusform>%1: %2 conflict; nothing was merged. Both sides changed:</numerusform>
            <numerusform>%1: %2 conflicts; nothing was merged. Both sides changed:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="78"/>
        <source>%1 change(s)</source>
        <translation>
            <numerusform>%1 change</numerusform>
            <numerusform>%1 changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/cli_text.py" line="79"/>
        <source>%1 conflict(s)</source>
        <translation>
            <numerusform>%1 conflict</numerusform>
            <numerusform>%1 conflicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditController</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/project/edit_controller.py" line="200"/>
        <source>Deleted %1 member(s). Ctrl+Z brings them back.</source>
        <translation>
            <numerusform>Deleted %1 member. Ctrl+Z brings it back.</numerusform>
            <numerusform>Deleted %1 members. Ctrl+Z brings them back.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportProblemText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="120"/>
        <source>%1 row(s): latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</source>
        <translation>
            <numerusform>%1 row: latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</numerusform>
            <numerusform>%1 rows: latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="195"/>
        <source>matches %1 member(s) by INN %2: %3</source>
        <translation>
            <numerusform>matches %1 member by INN %2: %3</numerusform>
            <numerusform>matches %1 members by INN %2: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="197"/>
        <source>matches %1 member(s) by name: %2</source>
        <translation>
            <numerusform>matches %1 member by name: %2</numerusform>
            <numerusform>matches %1 members by name: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="60"/>
        <source>Would import %1 member(s) from %2</source>
        <translation>
            <numerusform>Would import %1 member from %2</numerusform>
            <numerusform>Would import %1 members from %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="62"/>
        <source>Imported %1 member(s) from %2</source>
        <translation>
            <numerusform>Imported %1 member from %2</numerusform>
            <numerusform>Imported %1 members from %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="67"/>
        <source>%1 row(s) skipped</source>
        <translation>
            <numerusform>%1 row skipped</numerusform>
            <numerusform>%1 rows skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="69"/>
        <source>%1 warning(s)</source>
        <translation>
            <numerusform>%1 warning</numerusform>
            <numerusform>%1 warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="72"/>
        <source>%1 conflict(s)</source>
        <translation>
            <numerusform>%1 conflict</numerusform>
            <numerusform>%1 conflicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/map/legend.py" line="150"/>
        <source>Showing %1 of %2 link(s) in view; zoom in to see all</source>
        <translation>
            <numerusform>Showing %1 of %2 link in view; zoom in to see all</numerusform>
            <numerusform>Showing %1 of %2 links in view; zoom in to see all</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LinkImportReportText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="105"/>
        <source>Imported %1 link(s) from %2</source>
        <translation>
            <numerusform>Imported %1 link from %2</numerusform>
            <numerusform>Imported %1 links from %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/reports.py" line="108"/>
        <source>%1 row(s) skipped</source>
        <translation>
            <numerusform>%1 row skipped</numerusform>
            <numerusform>%1 rows skipped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LinksPanel</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/links/panel.py" line="158"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/links/panel.py" line="159"/>
        <source>%1 of %2 link(s)</source>
        <translation>
            <numerusform>%1 of %2 link</numerusform>
            <numerusform>%1 of %2 links</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="356"/>
        <source>%1 member(s)</source>
        <comment>status bar</comment>
        <translation>
            <numerusform>%1 member</numerusform>
            <numerusform>%1 members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/shell/main_window.py" line="357"/>
        <source>%1 candidate(s)</source>
        <comment>status bar</comment>
        <translation>
            <numerusform>%1 candidate</numerusform>
            <numerusform>%1 candidates</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="72"/>
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
        <location filename="../../cluster_desk/text/passport_words.py" line="134"/>
        <source>%1 participant(s)</source>
        <translation>
            <numerusform>%1 participant</numerusform>
            <numerusform>%1 participants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="135"/>
        <source>%1 candidate(s)</source>
        <translation>
            <numerusform>%1 candidate</numerusform>
            <numerusform>%1 candidates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="136"/>
        <source>%1 link(s)</source>
        <translation>
            <numerusform>%1 link</numerusform>
            <numerusform>%1 links</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/passport_words.py" line="139"/>
        <source>… and %1 more</source>
        <translation>
            <numerusform>… and %1 more</numerusform>
            <numerusform>… and %1 more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlannerPanel</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/assessment/planner.py" line="208"/>
        <source>Apply plan (%1 member(s))</source>
        <translation>
            <numerusform>Apply plan (%1 member)</numerusform>
            <numerusform>Apply plan (%1 members)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RosterExchange</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="111"/>
        <source>Exported %1 link(s) to %2</source>
        <translation>
            <numerusform>Exported %1 link to %2</numerusform>
            <numerusform>Exported %1 links to %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/exchange/controller.py" line="118"/>
        <source>Exported %1 member(s) to %2</source>
        <translation>
            <numerusform>Exported %1 member to %2</numerusform>
            <numerusform>Exported %1 members to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RosterPanel</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="190"/>
        <source>%1: %2 member(s)  ✕</source>
        <translation>
            <numerusform>%1: %2 member  ✕</numerusform>
            <numerusform>%1: %2 members  ✕</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="214"/>
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/roster/panel.py" line="215"/>
        <source>%1 of %2 row(s)</source>
        <translation>
            <numerusform>%1 of %2 row</numerusform>
            <numerusform>%1 of %2 rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/indicator.py" line="70"/>
        <source>%n edit(s) waiting</source>
        <translation>
            <numerusform>%n edit waiting</numerusform>
            <numerusform>%n edits waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/indicator.py" line="72"/>
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamController</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/controller.py" line="208"/>
        <source>; %n conflict(s) recorded</source>
        <translation>
            <numerusform>; %n conflict recorded</numerusform>
            <numerusform>; %n conflicts recorded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../cluster_desk/ui/team/controller.py" line="217"/>
        <source>%1; %n edit(s) waiting to sync</source>
        <translation>
            <numerusform>%1; %n edit waiting to sync</numerusform>
            <numerusform>%1; %n edits waiting to sync</numerusform>
        </translation>
    </message>
</context>
</TS>
