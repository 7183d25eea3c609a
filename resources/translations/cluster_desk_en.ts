<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ImportProblemText</name>
    <message numerus="yes">
        <location filename="../../cluster_desk/text/import_problems.py" line="112"/>
        <source>%1 row(s): latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</source>
        <translation>
            <numerusform>%1 row: latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</numerusform>
            <numerusform>%1 rows: latitude and longitude look swapped; tick “Swap latitude and longitude in flagged rows” to swap them</numerusform>
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
        <location filename="../../cluster_desk/ui/exchange/merge_dialog.py" line="52"/>
        <source>%n change(s) come in without conflict:</source>
        <translation>
            <numerusform>%n change come in without conflict:</numerusform>
            <numerusform>%n changes come in without conflict:</numerusform>
        </translation>
    </message>
</context>
</TS>
