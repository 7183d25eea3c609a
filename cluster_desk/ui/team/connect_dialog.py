"""File › Connect to Team Server: server address, user, cluster, and what to do with them.

Two ways in: clone the cluster into a new project file, or publish the open project as a new
cluster (it then becomes that cluster's working copy). The dialog says what syncs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


@dataclass
class ConnectRequest:
    dsn: str
    user: str
    password: str
    cluster: str
    publish: bool  # publish the open project as a new cluster
    remember: bool
    join: bool = False  # the open project becomes a working copy of this existing cluster


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, can_publish: bool, project_name: str = "",
                 keyring_available: bool = False, server: str = "", user: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("team_connect_dialog")
        self.setWindowTitle(self.tr("Connect to Team Server"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("A team server keeps the agency's clusters on PostgreSQL. Your project "
                               "stays a file on this computer: you work offline and sync when online."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.server = QLineEdit(server)
        self.server.setPlaceholderText("postgresql://db.agency.example/clusters")
        self.server.setToolTip(self.tr("A PostgreSQL address or connection string. TCP connections use "
                                       "TLS and check the server's certificate. To log in with a "
                                       "client certificate, add sslcert=FILE sslkey=FILE to the address."))
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("if the server asks for one"))
        self.cluster = QLineEdit(project_name if can_publish else "")
        form.addRow(self.tr("Server:"), self.server)
        form.addRow(self.tr("User:"), self.user)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Cluster:"), self.cluster)
        layout.addLayout(form)
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"))
        self.remember.setVisible(keyring_available)
        layout.addWidget(self.remember)
        self.clone_choice = QRadioButton(self.tr("Clone this cluster into a new project file"))
        self.publish_choice = QRadioButton(self.tr("Publish the open project as this new cluster"))
        self.publish_choice.setEnabled(can_publish)
        self.join_choice = QRadioButton(self.tr("Make the open project a copy of this existing cluster"))
        self.join_choice.setToolTip(self.tr("Its records are sent to the cluster and the cluster's come in; "
                                            "values that differ become conflicts for you to resolve."))
        self.join_choice.setEnabled(can_publish)
        group = QButtonGroup(self)
        for choice in (self.clone_choice, self.publish_choice, self.join_choice):
            group.addButton(choice)
            layout.addWidget(choice)
        self.clone_choice.setChecked(True)
        note = QLabel(self.tr("Members, links (every field) and cluster settings (centre, radius, "
                              "thresholds) sync. Year-end snapshots stay on this computer."))
        note.setWordWrap(True)
        note.setObjectName("team_what_syncs")
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.server, self.cluster):
            edit.textChanged.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())

    def _update(self) -> None:
        ok = bool(self.server.text().strip() and self.cluster.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def request(self) -> ConnectRequest:
        return ConnectRequest(self.server.text().strip(), self.user.text().strip(), self.password.text(),
                              self.cluster.text().strip(), self.publish_choice.isChecked(),
                              self.remember.isChecked(), self.join_choice.isChecked())
