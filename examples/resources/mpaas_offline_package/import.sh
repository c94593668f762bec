# An offline package version is imported as <h5app_id>/<version>.
terraform import mpaas_offline_package.portal 12345678/1.0.0.1
